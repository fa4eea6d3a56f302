namespace KubeTriage.Capture.Protocols.Http;

/// <summary>
/// Byte constants and the small grammar pieces of RFC 9110 §5.6 and RFC 9112 §2.2 shared by the
/// HTTP/1.x message readers: lines end in CRLF (a bare LF is accepted, as §2.2 allows), tokens are tchars.
/// </summary>
internal static class HttpSyntax
{
    public const byte ByteCR = (byte)'\r';
    public const byte ByteLF = (byte)'\n';
    public const byte ByteSpace = (byte)' ';
    public const byte ByteTab = (byte)'\t';
    public const byte ByteColon = (byte)':';

    /// <summary>
    /// The next line without its terminator; <paramref name="consumed"/> includes the terminator.
    /// False when no LF is within <paramref name="data"/> yet.
    /// </summary>
    public static bool TryTakeLine(ReadOnlySpan<byte> data, out ReadOnlySpan<byte> line, out int consumed)
    {
        var lf = data.IndexOf(ByteLF);
        if (lf < 0)
        {
            line = default;
            consumed = 0;
            return false;
        }

        consumed = lf + 1;
        line = lf > 0 && data[lf - 1] == ByteCR ? data[..(lf - 1)] : data[..lf];
        return true;
    }

    /// <summary>tchar of RFC 9110 §5.6.2: visible ASCII except delimiters.</summary>
    public static bool IsTokenChar(byte b) =>
        b is > 0x20 and < 0x7F && b is not ((byte)'"' or (byte)'(' or (byte)')' or (byte)',' or (byte)'/' or (byte)':'
            or (byte)';' or (byte)'<' or (byte)'=' or (byte)'>' or (byte)'?' or (byte)'@' or (byte)'[' or (byte)'\\'
            or (byte)']' or (byte)'{' or (byte)'}');

    public static bool IsToken(ReadOnlySpan<byte> text)
    {
        if (text.IsEmpty)
        {
            return false;
        }

        foreach (var b in text)
        {
            if (!IsTokenChar(b))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>"HTTP/1.0" or "HTTP/1.1" (HTTP/1.x messages only; HTTP/2 has its own framing).</summary>
    public static bool IsHttp1Version(ReadOnlySpan<byte> text) =>
        text.Length == 8 && text.StartsWith("HTTP/1."u8) && text[7] is (byte)'0' or (byte)'1';

    public static ReadOnlySpan<byte> TrimWhitespace(ReadOnlySpan<byte> text) =>
        text.Trim(" \t"u8);

    /// <summary>Decimal digits only (RFC 9110 §8.6: Content-Length = 1*DIGIT), without overflow.</summary>
    public static bool TryParseDecimal(ReadOnlySpan<byte> text, out long value)
    {
        value = 0;
        if (text.IsEmpty || text.Length > 18)
        {
            return false;
        }

        foreach (var b in text)
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                return false;
            }

            value = value * 10 + (b - '0');
        }

        return true;
    }
}
