using System.Buffers.Binary;
using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Packets;

/// <summary>
/// The Geneve header (RFC 8926), in a UDP datagram to port 6081.
/// <code>
/// | ver (2 bits, 0) opt len (6 bits, 4-byte words) | O C rsvd (1) | protocol type (2) | VNI (3) | rsvd (1) | options | inner |
/// </code>
/// </summary>
internal static class GeneveHeader
{
    public const int MinLength = 8;
    public const ushort Port = 6081;

    /// <summary>Parsed bytes = the inner packet's offset; <paramref name="protocolType"/> is an EtherType (0x6558: Ethernet).</summary>
    public static ReadResult TryRead(ReadOnlySpan<byte> payload, out ushort protocolType)
    {
        protocolType = 0;
        if (payload.Length < MinLength)
        {
            return ReadResult.NeedMore;
        }

        if (payload[0] >> 6 != 0)
        {
            return ReadResult.Malformed(WireError.PacketUnsupportedEtherType, 0);
        }

        int length = MinLength + ((payload[0] & 0x3F) * 4);
        protocolType = BinaryPrimitives.ReadUInt16BigEndian(payload[2..]);
        return payload.Length < length ? ReadResult.NeedMore : ReadResult.Parsed(length);
    }
}
