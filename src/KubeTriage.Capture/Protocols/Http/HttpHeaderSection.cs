using System.Text;
using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Protocols.Http;

/// <summary>
/// The header section after a start line, RFC 9112 §5 (https://www.rfc-editor.org/rfc/rfc9112#section-5):
/// field lines up to an empty line, with Kestrel-style caps on the number of fields and the total size.
/// Keeps only what framing and reporting need: Host, Content-Length, whether the last transfer coding is
/// chunked, and Connection: close.
/// </summary>
internal readonly ref struct HttpHeaderSection
{
    private HttpHeaderSection(ReadOnlySpan<byte> host, long? contentLength, bool hasTransferEncoding, bool chunked, bool close, int fieldCount)
    {
        Host = host;
        ContentLength = contentLength;
        HasTransferEncoding = hasTransferEncoding;
        Chunked = chunked;
        Close = close;
        FieldCount = fieldCount;
    }

    public ReadOnlySpan<byte> Host { get; }

    public long? ContentLength { get; }

    public bool HasTransferEncoding { get; }

    /// <summary>Transfer-Encoding ends in <c>chunked</c> (RFC 9112 §6.3 rule 4).</summary>
    public bool Chunked { get; }

    public bool Close { get; }

    public int FieldCount { get; }

    /// <param name="maxBytes">Section bytes allowed before its end must have been seen.</param>
    /// <param name="maxFields">Field lines allowed.</param>
    public static ParseResult TryRead(ReadOnlySpan<byte> data, int maxBytes, int maxFields, out HttpHeaderSection section)
    {
        section = default;
        ReadOnlySpan<byte> host = default;
        long? contentLength = null;
        bool hasTransferEncoding = false, chunked = false, close = false;
        var fields = 0;
        var offset = 0;
        while (true)
        {
            var result = HttpFieldLine.TryRead(data[offset..], out var field);
            if (result.IsNeedMore)
            {
                return data.Length >= maxBytes
                    ? ParseResult.Malformed(WireError.HttpHeadersTooLarge, offset, "header section larger than the limit")
                    : ParseResult.NeedMore;
            }

            if (result.IsMalformed)
            {
                return result with { Offset = result.Offset + offset };
            }

            if (field.IsEnd)
            {
                section = new HttpHeaderSection(host, contentLength, hasTransferEncoding, chunked, close, fields);
                return ParseResult.Parsed(offset + result.Consumed);
            }

            if (++fields > maxFields)
            {
                return ParseResult.Malformed(WireError.HttpHeadersTooLarge, offset, "more header fields than the limit");
            }

            if (offset + result.Consumed > maxBytes)
            {
                return ParseResult.Malformed(WireError.HttpHeadersTooLarge, offset, "header section larger than the limit");
            }

            if (Ascii.EqualsIgnoreCase(field.Name, "Host"u8))
            {
                host = field.Value;
            }
            else if (Ascii.EqualsIgnoreCase(field.Name, "Content-Length"u8))
            {
                // A list of identical values is allowed (RFC 9110 §8.6); anything else is framing we cannot trust.
                foreach (var range in field.Value.Split((byte)','))
                {
                    if (!HttpSyntax.TryParseDecimal(HttpSyntax.TrimWhitespace(field.Value[range]), out var length)
                        || (contentLength is { } earlier && earlier != length))
                    {
                        return ParseResult.Malformed(WireError.HttpBadContentLength, offset, "Content-Length is not one decimal number");
                    }

                    contentLength = length;
                }
            }
            else if (Ascii.EqualsIgnoreCase(field.Name, "Transfer-Encoding"u8))
            {
                hasTransferEncoding = true;
                var last = field.Value.LastIndexOf((byte)',');
                chunked = Ascii.EqualsIgnoreCase(HttpSyntax.TrimWhitespace(field.Value[(last + 1)..]), "chunked"u8);
            }
            else if (Ascii.EqualsIgnoreCase(field.Name, "Connection"u8))
            {
                foreach (var range in field.Value.Split((byte)','))
                {
                    close |= Ascii.EqualsIgnoreCase(HttpSyntax.TrimWhitespace(field.Value[range]), "close"u8);
                }
            }

            offset += result.Consumed;
        }
    }
}
