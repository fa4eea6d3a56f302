using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Packets;

/// <summary>
/// IPv4 header (RFC 791 section 3.1).
/// <code>
/// |Version|  IHL  |Type of Service|          Total Length         |
/// |         Identification        |Flags|      Fragment Offset    |
/// |  Time to Live |    Protocol   |         Header Checksum       |
/// |                       Source Address                          |
/// |                    Destination Address                        |
/// |                    Options (IHL > 5)                          |
/// </code>
/// Only the first fragment carries the transport header; later fragments are counted, not parsed.
/// </summary>
internal static class Ipv4Decoder
{
    public const int MinHeaderLength = 20;
    private const ushort MoreFragments = 0x2000;
    private const ushort OffsetMask = 0x1FFF;

    /// <summary>
    /// Reads the header of the IP packet in <paramref name="ip"/>; parsed bytes = header length.
    /// <paramref name="ipLength"/> is the packet length the header declares, bounded by what was captured
    /// (trailing Ethernet padding is not part of the packet).
    /// </summary>
    public static ReadResult TryRead(ReadOnlySpan<byte> ip, ref DecodedPacket packet, out int wireLength)
    {
        wireLength = 0;
        var reader = new SpanReader(ip);
        if (!reader.TryReadUInt8(out byte versionIhl)
            || !reader.TrySkip(1)
            || !reader.TryReadUInt16BigEndian(out ushort totalLength)
            || !reader.TryReadUInt16BigEndian(out ushort identification)
            || !reader.TryReadUInt16BigEndian(out ushort fragment)
            || !reader.TrySkip(1)
            || !reader.TryReadUInt8(out byte protocol)
            || !reader.TrySkip(2)
            || !reader.TryReadBytes(4, out var source)
            || !reader.TryReadBytes(4, out var destination))
        {
            return ReadResult.NeedMore;
        }

        if (versionIhl >> 4 != 4)
        {
            return ReadResult.Malformed(WireError.PacketBadIpVersion, 0);
        }

        int headerLength = (versionIhl & 0x0F) * 4;
        if (headerLength < MinHeaderLength)
        {
            return ReadResult.Malformed(WireError.PacketBadHeaderLength, 0);
        }

        if (!reader.CanRead(headerLength - MinHeaderLength))
        {
            return ReadResult.NeedMore;
        }

        // Segmentation offload captures show total length 0; then the capture is the packet.
        wireLength = totalLength == 0 ? ip.Length : totalLength;
        if (wireLength < headerLength)
        {
            return ReadResult.Malformed(WireError.PacketBadHeaderLength, 2);
        }

        packet.Protocol = protocol;
        packet.Source = NetAddress.FromIPv4(source);
        packet.Destination = NetAddress.FromIPv4(destination);
        int offset = fragment & OffsetMask;
        packet.IsFragment = offset != 0 || (fragment & MoreFragments) != 0;
        packet.IsFirstFragment = offset == 0;
        if (packet.IsFragment)
        {
            packet.FragmentId = identification;
            packet.FragmentOffset = offset * 8;
            packet.MoreFragments = (fragment & MoreFragments) != 0;
            packet.FragmentProtocol = protocol;
            packet.FragmentDataOffset = headerLength;
        }

        return ReadResult.Parsed(headerLength);
    }
}
