using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Packets;

/// <summary>
/// Linux cooked capture v1, LINKTYPE_LINUX_SLL (https://www.tcpdump.org/linktypes/LINKTYPE_LINUX_SLL.html).
/// <code>
/// | packet type (2) | ARPHRD type (2) | address length (2) | address (8) | protocol type (2) | payload |
/// </code>
/// </summary>
internal static class LinuxSllDecoder
{
    public const int HeaderLength = 16;

    public static ReadResult TryRead(ReadOnlySpan<byte> frame, out ushort protocol)
    {
        protocol = 0;
        var reader = new SpanReader(frame);
        if (!reader.TrySkip(14) || !reader.TryReadUInt16BigEndian(out protocol))
        {
            return ReadResult.NeedMore;
        }

        return ReadResult.Parsed(HeaderLength);
    }
}
