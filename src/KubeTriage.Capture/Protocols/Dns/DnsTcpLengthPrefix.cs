using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Protocols.Dns;

/// <summary>
/// DNS over TCP framing, RFC 1035 §4.2.2 and RFC 7766 §8 (https://www.rfc-editor.org/rfc/rfc7766#section-8):
/// each message is preceded by its length as a 16-bit big-endian integer. Several messages may share a
/// segment (pipelining) and one message may span segments.
/// </summary>
internal readonly ref struct DnsTcpLengthPrefix
{
    public const int Size = 2;

    private DnsTcpLengthPrefix(ReadOnlySpan<byte> message) => Message = message;

    /// <summary>The framed message, exactly as long as the prefix said.</summary>
    public ReadOnlySpan<byte> Message { get; }

    public static ParseResult TryRead(ReadOnlySpan<byte> stream, out DnsTcpLengthPrefix frame)
    {
        frame = default;
        var reader = new PayloadReader(stream);
        var length = reader.ReadUInt16BigEndian();
        if (reader.Overrun)
        {
            return ParseResult.NeedMore;
        }

        if (length < DnsHeaderSection.Size)
        {
            return ParseResult.Malformed(WireError.DnsBadHeader, 0, "length prefix shorter than a DNS header");
        }

        var message = reader.ReadBytes(length);
        if (reader.Overrun)
        {
            return ParseResult.NeedMore;
        }

        frame = new DnsTcpLengthPrefix(message);
        return ParseResult.Parsed(Size + length);
    }
}
