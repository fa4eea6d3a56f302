using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Protocols.Http;

/// <summary>
/// One HTTP/1.x request and its response, or one HTTP/2 stream (<see cref="Version"/>); response fields are null when none came.
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

    /// <summary>"HTTP/1.x", or "HTTP/2" for a stream of an HTTP/2 connection (then <see cref="ResponseBytes"/> counts its frames).</summary>
    public string Version { get; init; } = Http1;

    /// <summary>The gRPC status of the call (the <c>grpc-status</c> trailer, 0 = OK), or null when none came or this is not gRPC.</summary>
    public int? GrpcStatus { get; init; }

    /// <summary>The <c>grpc-message</c> trailer, percent-decoded, or null.</summary>
    public string? GrpcMessage { get; init; }

    /// <summary>True for a gRPC call (its request's content-type is <c>application/grpc</c>…).</summary>
    public bool Grpc { get; init; }

    /// <summary>
    /// The HTTP/2 error code (RFC 9113 §7) of a RST_STREAM that ended the stream, or REFUSED_STREAM (7) for a stream
    /// the server's GOAWAY said it never processed; null when the stream was not reset.
    /// </summary>
    public uint? ResetCode { get; init; }

    /// <summary>True when the client sent the RST_STREAM (it cancelled), false when the server did.</summary>
    public bool ResetByClient { get; init; }

    /// <summary>When the RST_STREAM (or the GOAWAY) ended the stream; null when it was not reset.</summary>
    public long? ResetTimeNs { get; init; }

    /// <summary>
    /// True when some of the stream's header fields could not be read: they refer to HPACK table entries from before
    /// the capture joined the connection (or before a hole). Its method, path or gRPC status may then be unknown.
    /// </summary>
    public bool HeadersUnreadable { get; init; }

    /// <summary>The HTTP/2 stream identifier (streams sent in one packet are told apart by it), 0 for HTTP/1.x.</summary>
    public int StreamId { get; init; }

    public const string Http1 = "HTTP/1.x";

    public const string Http2 = "HTTP/2";
}
