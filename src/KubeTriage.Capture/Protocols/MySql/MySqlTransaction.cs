using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Protocols.MySql;

/// <summary>
/// One client command (COM_QUERY, COM_STMT_EXECUTE, COM_PING, …, or the login) matched with the
/// server's final answer. <see cref="ResponseTimeNs"/> is null when no answer came.
/// </summary>
public sealed record MySqlTransaction(
    long RequestTimeNs,
    WireEndpoint Client,
    WireEndpoint Server,
    byte Command,
    string CommandName,
    string? Query,
    long? ResponseTimeNs,
    MySqlOutcome Outcome,
    ushort? ErrorCode,
    string? ErrorMessage,
    long RequestFrame,
    string File)
{
    public double? LatencySeconds => ResponseTimeNs is { } r ? (r - RequestTimeNs) / 1e9 : null;
}

public enum MySqlOutcome
{
    NoResponse,
    Ok,
    Error,
    ResultSet,
    Encrypted,
}
