using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Packets;

/// <summary>
/// BSD loopback: LINKTYPE_NULL (0) carries the address family in the writer's host byte order,
/// LINKTYPE_LOOP (108) in network order (https://www.tcpdump.org/linktypes/LINKTYPE_NULL.html).
/// AF_INET is 2 everywhere; AF_INET6 is 24 (NetBSD/OpenBSD), 28 (FreeBSD) or 30 (macOS).
/// </summary>
internal static class LoopbackDecoder
{
    public const int HeaderLength = 4;

    public static ReadResult TryRead(ReadOnlySpan<byte> frame, bool networkOrder, out ushort etherType)
    {
        etherType = 0;
        var reader = new SpanReader(frame);
        if (!reader.TryReadUInt32BigEndian(out uint family))
        {
            return ReadResult.NeedMore;
        }

        // Host order is unknown here: a family never exceeds 16 bits, so a big value means the other order.
        if (!networkOrder && family > 0xFFFF)
        {
            family = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(family);
        }

        etherType = family switch
        {
            2 => EtherType.Ipv4,
            24 or 28 or 30 => EtherType.Ipv6,
            _ => 0,
        };
        return ReadResult.Parsed(HeaderLength);
    }
}
