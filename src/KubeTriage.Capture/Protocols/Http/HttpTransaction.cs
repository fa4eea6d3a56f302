using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Protocols.Http;

/// <summary>
/// One HTTP/1.x request and its response; response fields are null when none came.
/// <see cref="Path"/> is the request target as sent (cut at <c>ProtocolOptions.MaxPathBytes</c>);
/// <see cref="ResponseBytes"/> counts the response on the wire, status line, headers and body with any
/// chunk framing; <see cref="FirstByteTimeNs"/> is the first byte of the final (non-1xx) response and
/// <see cref="LastByteTimeNs"/> its last byte (for a body that runs until the close, the last byte seen).
/// When the capture missed bytes inside the request or the response (<see cref="Gaps"/> &gt; 0), the response
/// still ends at its real last byte when its Content-Length and the missing count are known (the missing
/// bytes count in <see cref="ResponseBytes"/>); otherwise it ends with the last byte seen before the next
/// response or the close, and only the bytes known are counted.
/// </summary>
public sealed record HttpTransaction(
    long RequestTimeNs,
    WireEndpoint Client,
    WireEndpoint Server,
    string Method,
    string? Host,
    string Path,
    int? Status,
    long ResponseBytes,
    long? FirstByteTimeNs,
    long? LastByteTimeNs,
    long RequestFrame,
    string File,
    long? ResponseFrame = null)
{
    /// <summary>Time to last byte of the response.</summary>
    public double? LatencySeconds => LastByteTimeNs is { } r ? (r - RequestTimeNs) / 1e9 : null;

    /// <summary>How many holes in the capture (lost segments, snap-length cuts) fell inside the request body or the response.</summary>
    public int Gaps { get; init; }
}
