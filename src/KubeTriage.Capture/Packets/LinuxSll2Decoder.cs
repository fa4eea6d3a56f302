using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Packets;

/// <summary>
/// Linux cooked capture v2, LINKTYPE_LINUX_SLL2 (https://www.tcpdump.org/linktypes/LINKTYPE_LINUX_SLL2.html):
/// what <c>tcpdump -i any</c> writes; it carries the interface index each packet was seen on.
/// <code>
/// | protocol type (2) | reserved (2) | interface index (4) | ARPHRD type (2) | packet type (1) | address length (1) | address (8) | payload |
/// </code>
/// </summary>
internal static class LinuxSll2Decoder
{
    public const int HeaderLength = 20;

    public static ReadResult TryRead(ReadOnlySpan<byte> frame, out ushort protocol, out int interfaceIndex)
    {
        protocol = 0;
        interfaceIndex = -1;
        var reader = new SpanReader(frame);
        if (!reader.TryReadUInt16BigEndian(out ushort type)
            || !reader.TrySkip(2)
            || !reader.TryReadUInt32BigEndian(out uint index)
            || !reader.TrySkip(12))
        {
            return ReadResult.NeedMore;
        }

        protocol = type;
        interfaceIndex = (int)Math.Min(index, int.MaxValue);
        return ReadResult.Parsed(HeaderLength);
    }
}
