using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Packets;

/// <summary>
/// The VXLAN header (RFC 7348) before an inner Ethernet frame, in a UDP datagram to port 4789 or 8472.
/// <code>
/// | flags (1, I = 0x08) | reserved (3) | VNI (3) | reserved (1) | inner Ethernet frame |
/// </code>
/// </summary>
internal static class VxlanHeader
{
    public const int Length = 8;
    public const ushort IanaPort = 4789;
    public const ushort LinuxPort = 8472;

    /// <summary>True for a datagram to a VXLAN port whose header has the valid-VNI flag; parsed bytes = the inner frame's offset.</summary>
    public static ReadResult TryRead(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < Length)
        {
            return ReadResult.NeedMore;
        }

        return (payload[0] & 0x08) != 0 ? ReadResult.Parsed(Length) : ReadResult.Malformed(WireError.PacketUnsupportedEtherType, 0);
    }
}
