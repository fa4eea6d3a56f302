namespace KubeTriage.Wire.ReportModel;

/// <summary>Connections seen before and after DNAT on the node: <c>service</c> and <c>backend</c> as address:port.</summary>
public sealed record CaptureNatReport(string Service, string Backend, long Connections);
