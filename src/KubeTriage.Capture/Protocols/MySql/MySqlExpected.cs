namespace KubeTriage.Capture.Protocols.MySql;

/// <summary>
/// What the server sends next on a connection, in the manner of Zeek's <c>Expected</c> in
/// <c>mysql-protocol.pac</c>: a passive reader does not know what it asked for, so it keeps track.
/// </summary>
internal enum MySqlExpected : byte
{
    /// <summary>The first packet of an answer: OK, ERR, EOF, a result set's column count, LOCAL INFILE, prepare OK.</summary>
    Response,

    /// <summary>Column definitions of a result set, counted down.</summary>
    ColumnDefinitions,

    /// <summary>After the column definitions: an EOF (classic), or already rows or the ending OK (CLIENT_DEPRECATE_EOF).</summary>
    AfterColumns,

    /// <summary>Rows until EOF, an OK with 0xFE, or ERR.</summary>
    Rows,

    /// <summary>Parameter definitions after a prepare OK, counted down.</summary>
    PrepareParameters,

    /// <summary>The EOF that may end the parameter definitions.</summary>
    AfterPrepareParameters,

    /// <summary>Column definitions after a prepare OK, counted down.</summary>
    PrepareColumns,

    /// <summary>The EOF that may end the prepared statement's column definitions.</summary>
    AfterPrepareColumns,

    /// <summary>COM_FIELD_LIST: column definitions until EOF.</summary>
    FieldList,

    /// <summary>COM_STATISTICS: one human-readable string.</summary>
    Statistics,

    /// <summary>COM_CHANGE_USER: OK or ERR, possibly after auth switch and more data.</summary>
    Authentication,

    /// <summary>The client is sending a LOCAL INFILE file; an empty packet ends it, then OK or ERR.</summary>
    InfileData,

    /// <summary>COM_BINLOG_DUMP: a stream of events; the first packet answers the command.</summary>
    BinlogStream,
}
