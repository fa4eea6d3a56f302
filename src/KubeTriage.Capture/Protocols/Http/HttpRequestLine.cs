using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Protocols.Http;

/// <summary>
/// The request line, RFC 9112 §3 (https://www.rfc-editor.org/rfc/rfc9112#section-3):
/// <code>
///   method SP request-target SP HTTP-version CRLF
/// </code>
/// </summary>
internal readonly ref struct HttpRequestLine
{
    private HttpRequestLine(ReadOnlySpan<byte> method, ReadOnlySpan<byte> target, ReadOnlySpan<byte> version)
    {
        Method = method;
        Target = target;
        Version = version;
    }

    public ReadOnlySpan<byte> Method { get; }

    public ReadOnlySpan<byte> Target { get; }

    public ReadOnlySpan<byte> Version { get; }

    /// <param name="maxBytes">A line longer than this without its end is malformed, not need-more.</param>
    public static ParseResult TryRead(ReadOnlySpan<byte> data, int maxBytes, out HttpRequestLine line)
    {
        line = default;
        if (!HttpSyntax.TryTakeLine(data, out var text, out var consumed))
        {
            return data.Length >= maxBytes
                ? ParseResult.Malformed(WireError.HttpHeadersTooLarge, 0, "request line longer than the header limit")
                : ParseResult.NeedMore;
        }

        var firstSpace = text.IndexOf(HttpSyntax.ByteSpace);
        var lastSpace = text.LastIndexOf(HttpSyntax.ByteSpace);
        if (firstSpace <= 0 || lastSpace <= firstSpace + 1)
        {
            return ParseResult.Malformed(WireError.HttpBadRequestLine, 0, "request line is not method, target and version");
        }

        var method = text[..firstSpace];
        var target = text[(firstSpace + 1)..lastSpace];
        var version = text[(lastSpace + 1)..];
        if (!HttpSyntax.IsToken(method))
        {
            return ParseResult.Malformed(WireError.HttpBadRequestLine, 0, "method is not a token");
        }

        if (!HttpSyntax.IsHttp1Version(version))
        {
            return ParseResult.Malformed(WireError.HttpBadRequestLine, lastSpace + 1, "version is not HTTP/1.0 or HTTP/1.1");
        }

        if (target.IndexOfAny(HttpSyntax.ByteSpace, HttpSyntax.ByteTab) >= 0 || target.IndexOfAnyInRange((byte)0, (byte)0x1F) >= 0)
        {
            return ParseResult.Malformed(WireError.HttpBadRequestLine, firstSpace + 1, "request target has whitespace or control bytes");
        }

        line = new HttpRequestLine(method, target, version);
        return ParseResult.Parsed(consumed);
    }
}
