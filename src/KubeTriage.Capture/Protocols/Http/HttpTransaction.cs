using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Protocols.Http;

/// <summary>One HTTP/1.x request and its response; response fields are null when none came.</summary>
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
    string File)
{
    /// <summary>Time to last byte of the response.</summary>
    public double? LatencySeconds => LastByteTimeNs is { } r ? (r - RequestTimeNs) / 1e9 : null;
}
