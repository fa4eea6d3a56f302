using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace KubeTriage.Capture.Primitives;

/// <summary>
/// An IPv4 or IPv6 address held in two machine words, so that flow keys and per-packet
/// bookkeeping never allocate. IPv4 addresses live in the low 32 bits of <see cref="Low"/>.
/// </summary>
public readonly record struct NetAddress(ulong High, ulong Low, bool IsV4)
{
    public static NetAddress FromIPv4(ReadOnlySpan<byte> bytes) =>
        new(0, BinaryPrimitives.ReadUInt32BigEndian(bytes), true);

    public static NetAddress FromIPv6(ReadOnlySpan<byte> bytes) =>
        new(BinaryPrimitives.ReadUInt64BigEndian(bytes), BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]), false);

    public static NetAddress FromIPAddress(IPAddress address)
    {
        Span<byte> buffer = stackalloc byte[16];
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            address.TryWriteBytes(buffer, out _);
            return FromIPv4(buffer);
        }

        address.TryWriteBytes(buffer, out _);
        return FromIPv6(buffer);
    }

    public static NetAddress Parse(string text) => FromIPAddress(IPAddress.Parse(text));

    public static bool TryParse(string? text, out NetAddress address)
    {
        if (IPAddress.TryParse(text, out var ip))
        {
            address = FromIPAddress(ip);
            return true;
        }

        address = default;
        return false;
    }

    public IPAddress ToIPAddress()
    {
        Span<byte> buffer = stackalloc byte[16];
        if (IsV4)
        {
            BinaryPrimitives.WriteUInt32BigEndian(buffer, (uint)Low);
            return new IPAddress(buffer[..4]);
        }

        BinaryPrimitives.WriteUInt64BigEndian(buffer, High);
        BinaryPrimitives.WriteUInt64BigEndian(buffer[8..], Low);
        return new IPAddress(buffer);
    }

    public override string ToString() => ToIPAddress().ToString();
}
