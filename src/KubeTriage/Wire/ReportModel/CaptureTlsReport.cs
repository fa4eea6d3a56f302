namespace KubeTriage.Wire.ReportModel;

/// <summary>One TLS ClientHello and the server name it asked for.</summary>
public sealed record CaptureTlsReport(string Time, string Client, string Server, string? Sni, int Port, long Frame, string File);
