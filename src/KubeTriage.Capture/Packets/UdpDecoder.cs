using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Packets;

/// <summary>
/// UDP header (RFC 768).
/// <code>
/// |     Source Port     |   Destination Port  |
/// |       Length        |      Checksum       |
/// </code>
/// </summary>
internal static class UdpDecoder
{
    public const int HeaderLength = 8;

    /// <summary>Parsed bytes = 8; <paramref name="datagramLength"/> is the length field (header included).</summary>
    public static ReadResult TryRead(ReadOnlySpan<byte> datagram, ref DecodedPacket packet, out int datagramLength)
    {
        datagramLength = 0;
        var reader = new SpanReader(datagram);
        if (!reader.TryReadUInt16BigEndian(out ushort sourcePort)
            || !reader.TryReadUInt16BigEndian(out ushort destinationPort)
            || !reader.TryReadUInt16BigEndian(out ushort length)
            || !reader.TryReadUInt16BigEndian(out ushort checksum))
        {
            return ReadResult.NeedMore;
        }

        // Length 0 is legal for jumbograms over IPv6: the IP length rules then.
        if (length != 0 && length < HeaderLength)
        {
            return ReadResult.Malformed(WireError.PacketBadHeaderLength, 4);
        }

        packet.SourcePort = sourcePort;
        packet.DestinationPort = destinationPort;
        packet.UdpChecksum = checksum;
        datagramLength = length;
        return ReadResult.Parsed(HeaderLength);
    }
}
