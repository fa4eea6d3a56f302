namespace KubeTriage.Wire.ReportModel;

/// <summary>TCP connections in the capture, every failed open kept, and the zero windows advertised.</summary>
public sealed record CaptureTcpReport(
    long Connections,
    long Established,
    long NoReply,
    long Refused,
    long MidStream,
    long Retransmissions,
    long Resets,
    IReadOnlyList<CaptureFailedConnectReport> FailedConnects)
{
    public IReadOnlyList<CaptureZeroWindowReport> ZeroWindows { get; init; } = [];
}
