using System.Globalization;

namespace KubeTriage.Wire;

/// <summary>
/// HTTP status codes as people read them: "503 Service Unavailable". Reason phrases of RFC 9110 §15, plus
/// 429 and 431 (RFC 6585), 451 (RFC 7725) and 511 (RFC 6585); a code without one is written bare.
/// </summary>
public static class HttpStatusText
{
    private static readonly Dictionary<int, string> Reasons = new()
    {
        [200] = "OK",
        [201] = "Created",
        [204] = "No Content",
        [301] = "Moved Permanently",
        [302] = "Found",
        [304] = "Not Modified",
        [400] = "Bad Request",
        [401] = "Unauthorized",
        [403] = "Forbidden",
        [404] = "Not Found",
        [405] = "Method Not Allowed",
        [408] = "Request Timeout",
        [409] = "Conflict",
        [410] = "Gone",
        [413] = "Content Too Large",
        [414] = "URI Too Long",
        [415] = "Unsupported Media Type",
        [421] = "Misdirected Request",
        [422] = "Unprocessable Content",
        [429] = "Too Many Requests",
        [431] = "Request Header Fields Too Large",
        [451] = "Unavailable For Legal Reasons",
        [500] = "Internal Server Error",
        [501] = "Not Implemented",
        [502] = "Bad Gateway",
        [503] = "Service Unavailable",
        [504] = "Gateway Timeout",
        [505] = "HTTP Version Not Supported",
        [507] = "Insufficient Storage",
        [508] = "Loop Detected",
        [511] = "Network Authentication Required",
    };

    /// <summary>The reason phrase, or null for a code without a standard one.</summary>
    public static string? Reason(int status) => Reasons.GetValueOrDefault(status);

    /// <summary>"503 Service Unavailable", or "599" for a code without a reason phrase.</summary>
    public static string Describe(int status)
    {
        var code = status.ToString(CultureInfo.InvariantCulture);
        return Reason(status) is { } reason ? $"{code} {reason}" : code;
    }
}
