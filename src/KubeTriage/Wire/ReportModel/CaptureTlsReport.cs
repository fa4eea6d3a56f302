namespace KubeTriage.Wire.ReportModel;

/// <summary>
/// One TLS handshake: the ClientHello and the server name it asked for, the version the server chose ("TLS 1.3"; null
/// when no ServerHello was seen), how it ended ("completed", "clientAlert", "serverAlert", "serverNotTls", "serverClosed" (it reset or closed the connection on the ClientHello), or
/// "unknown" when the capture does not show it) and the alert ("unknown_ca"; "encrypted" when its description was not
/// in the clear; null without an alert).
/// </summary>
public sealed record CaptureTlsReport(string Time, string Client, string Server, string? Sni, int Port, long Frame, string File,
    string? Version = null, string Outcome = "unknown", string? Alert = null);
