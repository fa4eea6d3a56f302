namespace KubeTriage.Capture.Protocols.Http;

/// <summary>
/// Recognises HTTP/1.x from a segment's first bytes: a request starts with a registered method and a
/// space (RFC 9110 §9), a response with <c>HTTP/1.0 </c> or <c>HTTP/1.1 </c>.
/// </summary>
internal static class HttpShape
{
    public static bool LooksLikeRequest(ReadOnlySpan<byte> data) =>
        data.StartsWith("GET "u8) || data.StartsWith("POST "u8) || data.StartsWith("PUT "u8)
        || data.StartsWith("HEAD "u8) || data.StartsWith("DELETE "u8) || data.StartsWith("OPTIONS "u8)
        || data.StartsWith("PATCH "u8) || data.StartsWith("CONNECT "u8) || data.StartsWith("TRACE "u8);

    public static bool LooksLikeResponse(ReadOnlySpan<byte> data) =>
        data.StartsWith("HTTP/1.1 "u8) || data.StartsWith("HTTP/1.0 "u8);
}
