namespace KubeTriage.Capture.Protocols.Http2;

/// <summary>
/// The HPACK static table, RFC 7541 §2.3.1 and Appendix A (https://www.rfc-editor.org/rfc/rfc7541#appendix-A):
/// 61 fixed entries, indexes 1 to 61; the dynamic table's entries follow from 62 (§2.3.3). Only entries 2 to 16
/// have a value.
/// </summary>
internal static class HpackStaticTable
{
    public const int Count = 61;

    /// <summary>The entry at <paramref name="index"/> (1 to 61); false (and empty spans) for any other index.</summary>
    public static bool TryGet(int index, out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        name = Name(index);
        value = Value(index);
        return !name.IsEmpty;
    }

    private static ReadOnlySpan<byte> Name(int index) => index switch
    {
        1 => ":authority"u8,
        2 or 3 => ":method"u8,
        4 or 5 => ":path"u8,
        6 or 7 => ":scheme"u8,
        >= 8 and <= 14 => ":status"u8,
        15 => "accept-charset"u8,
        16 => "accept-encoding"u8,
        17 => "accept-language"u8,
        18 => "accept-ranges"u8,
        19 => "accept"u8,
        20 => "access-control-allow-origin"u8,
        21 => "age"u8,
        22 => "allow"u8,
        23 => "authorization"u8,
        24 => "cache-control"u8,
        25 => "content-disposition"u8,
        26 => "content-encoding"u8,
        27 => "content-language"u8,
        28 => "content-length"u8,
        29 => "content-location"u8,
        30 => "content-range"u8,
        31 => "content-type"u8,
        32 => "cookie"u8,
        33 => "date"u8,
        34 => "etag"u8,
        35 => "expect"u8,
        36 => "expires"u8,
        37 => "from"u8,
        38 => "host"u8,
        39 => "if-match"u8,
        40 => "if-modified-since"u8,
        41 => "if-none-match"u8,
        42 => "if-range"u8,
        43 => "if-unmodified-since"u8,
        44 => "last-modified"u8,
        45 => "link"u8,
        46 => "location"u8,
        47 => "max-forwards"u8,
        48 => "proxy-authenticate"u8,
        49 => "proxy-authorization"u8,
        50 => "range"u8,
        51 => "referer"u8,
        52 => "refresh"u8,
        53 => "retry-after"u8,
        54 => "server"u8,
        55 => "set-cookie"u8,
        56 => "strict-transport-security"u8,
        57 => "transfer-encoding"u8,
        58 => "user-agent"u8,
        59 => "vary"u8,
        60 => "via"u8,
        61 => "www-authenticate"u8,
        _ => default,
    };

    private static ReadOnlySpan<byte> Value(int index) => index switch
    {
        2 => "GET"u8,
        3 => "POST"u8,
        4 => "/"u8,
        5 => "/index.html"u8,
        6 => "http"u8,
        7 => "https"u8,
        8 => "200"u8,
        9 => "204"u8,
        10 => "206"u8,
        11 => "304"u8,
        12 => "400"u8,
        13 => "404"u8,
        14 => "500"u8,
        16 => "gzip, deflate"u8,
        _ => default,
    };
}
