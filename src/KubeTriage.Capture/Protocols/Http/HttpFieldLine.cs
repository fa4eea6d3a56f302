using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Protocols.Http;

/// <summary>
/// One header field line, RFC 9112 §5 (https://www.rfc-editor.org/rfc/rfc9112#section-5):
/// <code>
///   field-name ":" OWS field-value OWS CRLF
/// </code>
/// An empty line ends the section (<see cref="IsEnd"/>). No whitespace is allowed between the name and
/// the colon (§5.1). An obsolete folded continuation line (starting with SP or HTAB, §5.2) is read as a
/// field with an empty name and ignored.
/// </summary>
internal readonly ref struct HttpFieldLine
{
    private HttpFieldLine(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, bool isEnd)
    {
        Name = name;
        Value = value;
        IsEnd = isEnd;
    }

    public ReadOnlySpan<byte> Name { get; }

    public ReadOnlySpan<byte> Value { get; }

    public bool IsEnd { get; }

    public static ParseResult TryRead(ReadOnlySpan<byte> data, out HttpFieldLine field)
    {
        field = default;
        if (!HttpSyntax.TryTakeLine(data, out var text, out var consumed))
        {
            return ParseResult.NeedMore;
        }

        if (text.IsEmpty)
        {
            field = new HttpFieldLine(default, default, true);
            return ParseResult.Parsed(consumed);
        }

        if (text[0] is HttpSyntax.ByteSpace or HttpSyntax.ByteTab)
        {
            field = new HttpFieldLine(default, HttpSyntax.TrimWhitespace(text), false);
            return ParseResult.Parsed(consumed);
        }

        var colon = text.IndexOf(HttpSyntax.ByteColon);
        if (colon <= 0 || !HttpSyntax.IsToken(text[..colon]))
        {
            return ParseResult.Malformed(WireError.HttpBadHeader, 0, "header field name is not a token followed by a colon");
        }

        field = new HttpFieldLine(text[..colon], HttpSyntax.TrimWhitespace(text[(colon + 1)..]), false);
        return ParseResult.Parsed(consumed);
    }
}
