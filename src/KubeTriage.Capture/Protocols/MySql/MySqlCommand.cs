namespace KubeTriage.Capture.Protocols.MySql;

/// <summary>
/// Command bytes, the first payload byte of every client packet with sequence id 0
/// (https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_command_phase.html).
/// </summary>
public static class MySqlCommand
{
    public const byte Sleep = 0x00;
    public const byte Quit = 0x01;
    public const byte InitDb = 0x02;
    public const byte Query = 0x03;
    public const byte FieldList = 0x04;
    public const byte CreateDb = 0x05;
    public const byte DropDb = 0x06;
    public const byte Refresh = 0x07;
    public const byte Shutdown = 0x08;
    public const byte Statistics = 0x09;
    public const byte ProcessInfo = 0x0A;
    public const byte Connect = 0x0B;
    public const byte ProcessKill = 0x0C;
    public const byte Debug = 0x0D;
    public const byte Ping = 0x0E;
    public const byte Time = 0x0F;
    public const byte DelayedInsert = 0x10;
    public const byte ChangeUser = 0x11;
    public const byte BinlogDump = 0x12;
    public const byte TableDump = 0x13;
    public const byte ConnectOut = 0x14;
    public const byte RegisterSlave = 0x15;
    public const byte StmtPrepare = 0x16;
    public const byte StmtExecute = 0x17;
    public const byte StmtSendLongData = 0x18;
    public const byte StmtClose = 0x19;
    public const byte StmtReset = 0x1A;
    public const byte SetOption = 0x1B;
    public const byte StmtFetch = 0x1C;
    public const byte Daemon = 0x1D;
    public const byte BinlogDumpGtid = 0x1E;
    public const byte ResetConnection = 0x1F;
    public const byte Clone = 0x20;

    /// <summary>Not a wire byte: the login (greeting, HandshakeResponse41, authentication) as one transaction.</summary>
    public const byte Login = 0xFF;

    /// <summary>Names as MySQL's own <c>COM_…</c> constants, without the prefix, lower-case; <c>login</c> for the login.</summary>
    public static string Name(byte command) => command switch
    {
        Sleep => "sleep",
        Quit => "quit",
        InitDb => "init_db",
        Query => "query",
        FieldList => "field_list",
        CreateDb => "create_db",
        DropDb => "drop_db",
        Refresh => "refresh",
        Shutdown => "shutdown",
        Statistics => "statistics",
        ProcessInfo => "process_info",
        Connect => "connect",
        ProcessKill => "process_kill",
        Debug => "debug",
        Ping => "ping",
        Time => "time",
        DelayedInsert => "delayed_insert",
        ChangeUser => "change_user",
        BinlogDump => "binlog_dump",
        TableDump => "table_dump",
        ConnectOut => "connect_out",
        RegisterSlave => "register_slave",
        StmtPrepare => "stmt_prepare",
        StmtExecute => "stmt_execute",
        StmtSendLongData => "stmt_send_long_data",
        StmtClose => "stmt_close",
        StmtReset => "stmt_reset",
        SetOption => "set_option",
        StmtFetch => "stmt_fetch",
        Daemon => "daemon",
        BinlogDumpGtid => "binlog_dump_gtid",
        ResetConnection => "reset_connection",
        Clone => "clone",
        Login => "login",
        _ => "unknown",
    };

    /// <summary>Commands the server never answers.</summary>
    public static bool HasNoResponse(byte command) => command is Quit or StmtClose or StmtSendLongData;

    /// <summary>Commands a client sends on an established connection (the ones a resynchronisation trusts).</summary>
    public static bool IsKnown(byte command) => command is >= Quit and <= Clone and not (Connect or Time or DelayedInsert or TableDump or ConnectOut or Daemon);
}
