using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Protocols.MySql;

/// <summary>
/// One client command (COM_QUERY, COM_STMT_EXECUTE, COM_PING, …, or the login) matched with the
/// server's final answer. <see cref="ResponseTimeNs"/> is null when no answer came; it is the time of
/// the packet that ended the answer (the last row's terminator for a result set).
/// The login is reported as command <see cref="MySqlCommand.Login"/> named <c>login</c>, so that a
/// refused login (ERR 1040 Too many connections, 1045 Access denied, 1130 Host not allowed) is a
/// transaction with an error like any other. <see cref="Query"/> holds the SQL of COM_QUERY and
/// COM_STMT_PREPARE, the statement's SQL for COM_STMT_EXECUTE when its prepare was seen, the schema of
/// COM_INIT_DB and the table of COM_FIELD_LIST; it is cut at <c>ProtocolOptions.MaxQueryBytes</c>.
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
    string File,
    long? ResponseFrame = null,
    /// <summary>When the first packet of the answer arrived (the server's think time ends here).</summary>
    long? FirstResponseTimeNs = null,
    /// <summary>Rows of the result set(s), for <see cref="MySqlOutcome.ResultSet"/>.</summary>
    long Rows = 0,
    /// <summary>The five-character SQLSTATE of an error packet, when it carried one.</summary>
    string? SqlState = null,
    /// <summary>The user name of a login (from HandshakeResponse41).</summary>
    string? User = null,
    /// <summary>The server's version string from its greeting, on the login transaction.</summary>
    string? ServerVersion = null)
{
    public double? LatencySeconds => ResponseTimeNs is { } r ? (r - RequestTimeNs) / 1e9 : null;
}

public enum MySqlOutcome
{
    /// <summary>The capture ended (or the connection closed) before an answer.</summary>
    NoResponse,
    Ok,
    Error,
    ResultSet,
    /// <summary>The client asked for TLS (SSLRequest): nothing after the login can be read.</summary>
    Encrypted,
    /// <summary>A command the protocol never answers: COM_QUIT, COM_STMT_CLOSE, COM_STMT_SEND_LONG_DATA.</summary>
    Sent,
}
