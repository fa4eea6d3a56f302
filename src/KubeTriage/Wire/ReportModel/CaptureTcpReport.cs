namespace KubeTriage.Wire.ReportModel;

/// <summary>TCP connections in the capture and every failed open kept.</summary>
public sealed record CaptureTcpReport(
    long Connections,
    long Established,
    long NoReply,
    long Refused,
    long MidStream,
    long Retransmissions,
    long Resets,
    IReadOnlyList<CaptureFailedConnectReport> FailedConnects);
