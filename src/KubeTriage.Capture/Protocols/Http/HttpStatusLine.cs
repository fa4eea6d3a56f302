using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Protocols.Http;

/// <summary>
/// The status line, RFC 9112 §4 (https://www.rfc-editor.org/rfc/rfc9112#section-4):
/// <code>
///   HTTP-version SP status-code SP [ reason-phrase ] CRLF
/// </code>
/// (A missing space before an empty reason phrase is tolerated, as §4 asks of recipients.)
/// </summary>
internal readonly ref struct HttpStatusLine
{
    private HttpStatusLine(ReadOnlySpan<byte> version, int status)
    {
        Version = version;
        Status = status;
    }

    public ReadOnlySpan<byte> Version { get; }

    public int Status { get; }

    public static ParseResult TryRead(ReadOnlySpan<byte> data, int maxBytes, out HttpStatusLine line)
    {
        line = default;
        if (!HttpSyntax.TryTakeLine(data, out var text, out var consumed))
        {
            return data.Length >= maxBytes
                ? ParseResult.Malformed(WireError.HttpHeadersTooLarge, 0, "status line longer than the header limit")
                : ParseResult.NeedMore;
        }

        if (text.Length < 12 || !HttpSyntax.IsHttp1Version(text[..8]) || text[8] != HttpSyntax.ByteSpace)
        {
            return ParseResult.Malformed(WireError.HttpBadStatusLine, 0, "status line does not start with HTTP/1.x and a space");
        }

        var code = text.Slice(9, 3);
        if (!HttpSyntax.TryParseDecimal(code, out var status) || status < 100 || (text.Length > 12 && text[12] != HttpSyntax.ByteSpace))
        {
            return ParseResult.Malformed(WireError.HttpBadStatusLine, 9, "status code is not three digits from 100");
        }

        line = new HttpStatusLine(text[..8], (int)status);
        return ParseResult.Parsed(consumed);
    }
}
