using System.Text.Json.Serialization;

namespace KubeTriage.Wire.ReportModel;

/// <summary>
/// One HTTP/1.x request; <c>latencySeconds</c> is the time to the response's last byte. <c>gaps</c> (only
/// when not 0) counts holes in the capture inside the request or response: the latency and bytes are then
/// those known, up to the last byte captured.
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
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] int Gaps = 0);
