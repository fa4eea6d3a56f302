using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Protocols.Dns;

/// <summary>A record RDATA, RFC 1035 §3.4.1 (https://www.rfc-editor.org/rfc/rfc1035#section-3.4.1): a 32-bit IPv4 address.</summary>
internal readonly ref struct ARdata
{
    public const ushort TypeCode = DnsType.A;
    private const int Size = 4;

    private ARdata(ReadOnlySpan<byte> address) => Address = address;

    public ReadOnlySpan<byte> Address { get; }

    public static ParseResult TryRead(ReadOnlySpan<byte> message, int offset, int length, out ARdata rdata)
    {
        rdata = default;
        if (length != Size)
        {
            return ParseResult.Malformed(WireError.DnsRecordLengthMismatch, offset, "A RDATA is not 4 bytes");
        }

        if (offset + length > message.Length)
        {
            return ParseResult.NeedMore;
        }

        rdata = new ARdata(message.Slice(offset, Size));
        return ParseResult.Parsed(Size);
    }

    public int WriteText(Span<byte> destination) => AddressText.WriteIPv4(Address, destination);
}
