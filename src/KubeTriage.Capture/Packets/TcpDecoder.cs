using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Packets;

/// <summary>
/// TCP header (RFC 9293 section 3.1).
/// <code>
/// |          Source Port          |       Destination Port        |
/// |                        Sequence Number                        |
/// |                    Acknowledgment Number                      |
/// |  Data |       |C|E|U|A|P|R|S|F|                               |
/// | Offset| Rsrvd |W|C|R|C|S|S|Y|I|            Window             |
/// |           Checksum            |         Urgent Pointer        |
/// </code>
/// </summary>
internal static class TcpDecoder
{
    public const int MinHeaderLength = 20;

    /// <summary>Parsed bytes = header length (data offset × 4).</summary>
    public static ReadResult TryRead(ReadOnlySpan<byte> segment, ref DecodedPacket packet)
    {
        var reader = new SpanReader(segment);
        if (!reader.TryReadUInt16BigEndian(out ushort sourcePort)
            || !reader.TryReadUInt16BigEndian(out ushort destinationPort)
            || !reader.TryReadUInt32BigEndian(out uint sequence)
            || !reader.TryReadUInt32BigEndian(out uint acknowledgment)
            || !reader.TryReadUInt8(out byte dataOffset)
            || !reader.TryReadUInt8(out byte flags)
            || !reader.TryReadUInt16BigEndian(out ushort window)
            || !reader.TrySkip(4))
        {
            return ReadResult.NeedMore;
        }

        int headerLength = (dataOffset >> 4) * 4;
        if (headerLength < MinHeaderLength)
        {
            return ReadResult.Malformed(WireError.PacketBadHeaderLength, 12);
        }

        if (!reader.CanRead(headerLength - MinHeaderLength))
        {
            return ReadResult.NeedMore;
        }

        packet.SourcePort = sourcePort;
        packet.DestinationPort = destinationPort;
        packet.Sequence = sequence;
        packet.Acknowledgment = acknowledgment;
        packet.Flags = (TcpFlags)flags;
        packet.Window = window;
        return ReadResult.Parsed(headerLength);
    }
}
