namespace KubeTriage.Wire.ReportModel;

/// <summary>One HTTP/1.x request; <c>latencySeconds</c> is the time to the response's last byte.</summary>
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
    string File);
