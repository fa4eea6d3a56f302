namespace KubeTriage.Wire.ReportModel;

/// <summary>
/// ICMP errors one reporter sent about the packets of one client to one server endpoint; <see cref="Mtu"/> is the
/// path MTU a "fragmentation needed" or "packet too big" named, null for other errors.
/// </summary>
public sealed record CaptureIcmpErrorReport(
    string Time,
    string Reporter,
    string Client,
    string Server,
    int Port,
    string Protocol,
    string Error,
    long Count,
    long Frame,
    string File,
    int? Mtu);
