using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Packets;

/// <summary>
/// ICMP (RFC 792) and ICMPv6 (RFC 4443): type and code, and for error messages the embedded
/// original IP header plus the first 8 bytes of its transport header, which name the connection
/// the error is about (e.g. "port unreachable" for a SYN), and the MTU a "fragmentation needed" or "packet too big"
/// carries.
/// <code>
/// |     Type      |     Code      |          Checksum             |
/// |                 rest of header (4)                            |
/// |      original IP header + first 8 bytes of its payload        |
/// </code>
/// </summary>
internal static class IcmpDecoder
{
    public const int HeaderLength = 8;

    public static ReadResult TryRead(ReadOnlySpan<byte> message, bool v6, ref DecodedPacket packet)
    {
        var reader = new SpanReader(message);
        if (!reader.TryReadUInt8(out byte type) || !reader.TryReadUInt8(out byte code))
        {
            return ReadResult.NeedMore;
        }

        packet.IcmpType = type;
        packet.IcmpCode = code;
        if (IsError(type, v6) && reader.TrySkip(2) && reader.TryReadUInt32BigEndian(out uint rest))
        {
            // The path MTU the sender of "fragmentation needed" (ICMPv4 3/4: the low 16 bits) or "packet too big" (ICMPv6 2) can pass.
            packet.IcmpMtu = v6 ? (type == 2 ? rest : 0) : (type == 3 && code == 4 ? rest & 0xFFFF : 0);
            ReadEmbedded(reader.Rest, v6, ref packet);
        }

        return ReadResult.Parsed(Math.Min(HeaderLength, message.Length));
    }

    /// <summary>ICMP destination unreachable, source quench, redirect, time exceeded, parameter problem; ICMPv6 types 1-4.</summary>
    private static bool IsError(byte type, bool v6) => v6 ? type is >= 1 and <= 4 : type is 3 or 4 or 5 or 11 or 12;

    private static void ReadEmbedded(ReadOnlySpan<byte> original, bool v6, ref DecodedPacket packet)
    {
        var inner = default(DecodedPacket);
        var result = v6 ? Ipv6Decoder.TryRead(original, ref inner, out _) : Ipv4Decoder.TryRead(original, ref inner, out _);
        if (!result.IsParsed)
        {
            return;
        }

        var ports = new SpanReader(original[result.Consumed..]);
        if (inner.IsFirstFragment && inner.Protocol is (byte)IpProtocol.Tcp or (byte)IpProtocol.Udp
            && ports.TryReadUInt16BigEndian(out ushort sourcePort) && ports.TryReadUInt16BigEndian(out ushort destinationPort))
        {
            packet.EmbeddedSourcePort = sourcePort;
            packet.EmbeddedDestinationPort = destinationPort;
        }

        packet.HasEmbedded = true;
        packet.EmbeddedProtocol = inner.Protocol;
        packet.EmbeddedSource = inner.Source;
        packet.EmbeddedDestination = inner.Destination;
    }
}
