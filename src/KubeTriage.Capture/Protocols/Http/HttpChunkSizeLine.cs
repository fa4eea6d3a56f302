using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Protocols.Http;

/// <summary>
/// The line before each chunk of a chunked body, RFC 9112 §7.1 (https://www.rfc-editor.org/rfc/rfc9112#section-7.1):
/// <code>
///   chunk-size (1*HEXDIG) [ chunk-ext ] CRLF     chunk-data CRLF     …     "0" CRLF  trailer-section  CRLF
/// </code>
/// </summary>
internal readonly ref struct HttpChunkSizeLine
{
    /// <summary>A chunk-size line (with extensions) longer than this is malformed.</summary>
    public const int MaxLineBytes = 1024;

    /// <summary>Fifteen hex digits: far beyond any real chunk, and no overflow of a long.</summary>
    private const int MaxDigits = 15;

    private HttpChunkSizeLine(long size) => Size = size;

    public long Size { get; }

    public static ParseResult TryRead(ReadOnlySpan<byte> data, out HttpChunkSizeLine line)
    {
        line = default;
        if (!HttpSyntax.TryTakeLine(data, out var text, out var consumed))
        {
            return data.Length >= MaxLineBytes
                ? ParseResult.Malformed(WireError.HttpBadChunk, 0, "chunk-size line longer than 1024 bytes")
                : ParseResult.NeedMore;
        }

        long size = 0;
        var digits = 0;
        foreach (var b in text)
        {
            var value = b switch
            {
                >= (byte)'0' and <= (byte)'9' => b - '0',
                >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
                _ => -1,
            };
            if (value < 0)
            {
                break;
            }

            if (++digits > MaxDigits)
            {
                return ParseResult.Malformed(WireError.HttpBadChunk, 0, "chunk size has more than 15 hex digits");
            }

            size = size * 16 + value;
        }

        var rest = HttpSyntax.TrimWhitespace(text[digits..]);
        if (digits == 0 || (!rest.IsEmpty && rest[0] != (byte)';'))
        {
            return ParseResult.Malformed(WireError.HttpBadChunk, digits, "chunk size is not hex digits before an extension");
        }

        line = new HttpChunkSizeLine(size);
        return ParseResult.Parsed(consumed);
    }
}
