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
public sealed record MySqlTransaction
{
    /// <summary>Stands for null in the packed optional times and frames (no capture time or frame is this value).</summary>
    private const long Absent = long.MinValue;

    // Packed: a capture can hold millions of these. The connection's endpoints are one shared object,
    // optional times and frames are plain longs, and what only errors and logins carry lives apart.
    private readonly TransactionEndpoints _endpoints;
    private readonly MySqlTransactionExtras? _extras;
    private readonly long _responseTimeNs;
    private readonly long _responseFrame;
    private readonly long _firstResponseTimeNs;

    public MySqlTransaction(
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
        long? FirstResponseTimeNs = null,
        long Rows = 0,
        string? SqlState = null,
        string? User = null,
        string? ServerVersion = null)
        : this(
            new TransactionEndpoints(Client, Server, File),
            RequestTimeNs,
            Command,
            CommandName,
            Query,
            ResponseTimeNs,
            Outcome,
            RequestFrame,
            ResponseFrame,
            FirstResponseTimeNs,
            Rows,
            MySqlTransactionExtras.Of(ErrorCode, ErrorMessage, SqlState, User, ServerVersion))
    {
    }

    internal MySqlTransaction(
        TransactionEndpoints endpoints,
        long requestTimeNs,
        byte command,
        string commandName,
        string? query,
        long? responseTimeNs,
        MySqlOutcome outcome,
        long requestFrame,
        long? responseFrame,
        long? firstResponseTimeNs,
        long rows,
        MySqlTransactionExtras? extras)
    {
        _endpoints = endpoints;
        _extras = extras;
        _responseTimeNs = responseTimeNs ?? Absent;
        _responseFrame = responseFrame ?? Absent;
        _firstResponseTimeNs = firstResponseTimeNs ?? Absent;
        RequestTimeNs = requestTimeNs;
        Command = command;
        CommandName = commandName;
        Query = query;
        Outcome = outcome;
        RequestFrame = requestFrame;
        Rows = rows;
    }

    public long RequestTimeNs { get; init; }

    public WireEndpoint Client
    {
        get => _endpoints.Client;
        init => _endpoints = _endpoints with { Client = value };
    }

    public WireEndpoint Server
    {
        get => _endpoints.Server;
        init => _endpoints = _endpoints with { Server = value };
    }

    public byte Command { get; init; }

    public string CommandName { get; init; }

    public string? Query { get; init; }

    public long? ResponseTimeNs
    {
        get => Unpack(_responseTimeNs);
        init => _responseTimeNs = value ?? Absent;
    }

    public MySqlOutcome Outcome { get; init; }

    public ushort? ErrorCode
    {
        get => _extras?.ErrorCode;
        init => _extras = MySqlTransactionExtras.Of(value, ErrorMessage, SqlState, User, ServerVersion);
    }

    public string? ErrorMessage
    {
        get => _extras?.ErrorMessage;
        init => _extras = MySqlTransactionExtras.Of(ErrorCode, value, SqlState, User, ServerVersion);
    }

    public long RequestFrame { get; init; }

    public string File
    {
        get => _endpoints.File;
        init => _endpoints = _endpoints with { File = value };
    }

    public long? ResponseFrame
    {
        get => Unpack(_responseFrame);
        init => _responseFrame = value ?? Absent;
    }

    /// <summary>When the first packet of the answer arrived (the server's think time ends here).</summary>
    public long? FirstResponseTimeNs
    {
        get => Unpack(_firstResponseTimeNs);
        init => _firstResponseTimeNs = value ?? Absent;
    }

    /// <summary>Rows of the result set(s), for <see cref="MySqlOutcome.ResultSet"/>.</summary>
    public long Rows { get; init; }

    /// <summary>The five-character SQLSTATE of an error packet, when it carried one.</summary>
    public string? SqlState
    {
        get => _extras?.SqlState;
        init => _extras = MySqlTransactionExtras.Of(ErrorCode, ErrorMessage, value, User, ServerVersion);
    }

    /// <summary>The user name of a login (from HandshakeResponse41).</summary>
    public string? User
    {
        get => _extras?.User;
        init => _extras = MySqlTransactionExtras.Of(ErrorCode, ErrorMessage, SqlState, value, ServerVersion);
    }

    /// <summary>The server's version string from its greeting, on the login transaction.</summary>
    public string? ServerVersion
    {
        get => _extras?.ServerVersion;
        init => _extras = MySqlTransactionExtras.Of(ErrorCode, ErrorMessage, SqlState, User, value);
    }

    public double? LatencySeconds => ResponseTimeNs is { } r ? (r - RequestTimeNs) / 1e9 : null;

    private static long? Unpack(long value) => value == Absent ? null : value;
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
