namespace KubeTriage.Wire.ReportModel;

/// <summary>One DNS query and its answer; <c>rcode</c> and <c>latencySeconds</c> are null without an answer.</summary>
public sealed record CaptureDnsReport(
    string Time,
    string Client,
    string Server,
    string Name,
    string Type,
    string? Rcode,
    IReadOnlyList<string> Answers,
    double? LatencySeconds,
    bool OverTcp,
    int Retransmissions,
    long Frame,
    string File);
