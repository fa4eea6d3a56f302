namespace KubeTriage.Wire.ReportModel;

/// <summary>
/// Zero receive windows one side advertised on the connections of one client address to one server endpoint:
/// <c>receiver</c> is the side that advertised them (client or server). <c>stalledSeconds</c> adds up the stalls
/// (from a zero window until the same side advertised a non-zero one, or the connection ended); the longest stall's
/// start and frame are the packet to look at, and <c>unresolved</c> says the window was still zero at its end.
/// </summary>
public sealed record CaptureZeroWindowReport(
    string Client,
    string Server,
    int Port,
    string Receiver,
    long Connections,
    long Segments,
    long Stalls,
    long Probes,
    double StalledSeconds,
    double LongestStallSeconds,
    string LongestStallTime,
    long LongestStallFrame,
    string File,
    bool Unresolved);
