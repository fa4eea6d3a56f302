using System.Text.Json.Serialization;

namespace KubeTriage.Wire.ReportModel;

/// <summary>
/// One HTTP/1.x request or HTTP/2 stream; <c>latencySeconds</c> is the time to the response's last byte. <c>gaps</c> (only
/// when not 0) counts holes in the capture inside the request or response: the latency and bytes are then
/// those known, up to the last byte captured. Only for HTTP/2: <c>version</c> ("HTTP/2"), <c>grpcStatus</c> and
/// <c>grpcMessage</c> of a gRPC call, <c>resetCode</c> (the RST_STREAM error code, e.g. 8 CANCEL) and <c>resetBy</c>
/// ("client" or "server") of a reset stream, <c>headersUnreadable</c> (true) when some of its header fields refer to
/// header-compression state from before the capture joined the connection (its method, path or status may be unknown).
/// </summary>
public sealed record CaptureHttpReport(
    string Time,
    string Client,
    string Server,
    string? Host,
    string Method,
    string Path,
    int? Status,
    long Bytes,
    double? LatencySeconds,
    int Port,
    long Frame,
    string File,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] int Gaps = 0,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Version = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? GrpcStatus = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? GrpcMessage = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] uint? ResetCode = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ResetBy = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool HeadersUnreadable = false);
