namespace KubeTriage.Wire.ReportModel;

/// <summary>Bytes the engine could not read, per reason: how many, and the first one.</summary>
public sealed record CaptureDiagnosticReport(string Reason, long Count, string First);
