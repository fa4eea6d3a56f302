namespace KubeTriage.Wire.ReportModel;

/// <summary>One peer of the pod; <c>busySeconds</c> is how long the pod waited on it (union of waits).</summary>
public sealed record CapturePeerReport(
    string Ip,
    IReadOnlyList<string> Names,
    IReadOnlyList<int> Ports,
    IReadOnlyList<string> Protocols,
    long Packets,
    long Bytes,
    long Connections,
    long FailedConnections,
    long Transactions,
    double BusySeconds,
    double AnsweredBusySeconds,
    double MeanWaitSeconds,
    double MaxWaitSeconds);
