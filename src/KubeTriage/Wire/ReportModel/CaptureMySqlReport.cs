namespace KubeTriage.Wire.ReportModel;

/// <summary>One MySQL command and the server's final answer; <c>error</c> is "CODE: message" for error packets.</summary>
public sealed record CaptureMySqlReport(
    string Time,
    string Client,
    string Server,
    string Command,
    string? Query,
    double? LatencySeconds,
    string? Error,
    int Port,
    int? ErrorCode,
    string Outcome,
    long Frame,
    string File);
