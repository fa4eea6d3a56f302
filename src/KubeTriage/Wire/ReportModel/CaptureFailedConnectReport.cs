using KubeTriage.Capture.Flows;

namespace KubeTriage.Wire.ReportModel;

/// <summary>One TCP open that failed: <c>outcome</c> is noReply or refused.</summary>
public sealed record CaptureFailedConnectReport(
    string Client,
    string Server,
    int Port,
    int SynAttempts,
    TcpOutcome Outcome,
    int ClientPort,
    string Time,
    string LastTime,
    long Frame,
    string File,
    IReadOnlyList<string> Interfaces);
