using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Protocols.MySql;

/// <summary>
/// A client command (https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_command_phase.html):
/// sequence id 0, the command byte (<see cref="MySqlCommand"/>), then its arguments.
/// <code>
///   COM_QUERY            0x03 | [ parameter_count (lenenc) | parameter_set_count (lenenc) | … if CLIENT_QUERY_ATTRIBUTES ] | query
///   COM_INIT_DB          0x02 | schema
///   COM_FIELD_LIST       0x04 | table NUL | wildcard
///   COM_STMT_PREPARE     0x16 | query
///   COM_STMT_EXECUTE     0x17 | statement_id (4) | flags (1) | iteration_count (4) | parameters…
///   COM_STMT_SEND_LONG_DATA 0x18 | statement_id (4) | param_id (2) | data
///   COM_STMT_CLOSE/RESET 0x19/0x1A | statement_id (4)
///   COM_STMT_FETCH       0x1C | statement_id (4) | num_rows (4)
///   COM_QUIT, COM_PING, COM_STATISTICS, COM_DEBUG, COM_RESET_CONNECTION, COM_PROCESS_INFO: the byte alone
/// </code>
/// </summary>
internal readonly ref struct CommandPacket
{
    private CommandPacket(byte command, ReadOnlySpan<byte> argument, uint statementId)
    {
        Command = command;
        Argument = argument;
        StatementId = statementId;
    }

    public byte Command { get; }

    /// <summary>Everything after the command byte (possibly cut, when the dissector read only a prefix).</summary>
    public ReadOnlySpan<byte> Argument { get; }

    /// <summary>The statement id of the COM_STMT_* commands that carry one.</summary>
    public uint StatementId { get; }

    public static ParseResult TryRead(ReadOnlySpan<byte> stream, out CommandPacket packet)
    {
        packet = default;
        var framing = MySqlPacketHeader.TryReadPacket(stream, out var header, out var payload);
        if (!framing.IsParsed)
        {
            return framing;
        }

        if (header.SequenceId != 0)
        {
            return ParseResult.Malformed(WireError.MySqlPacketOutOfSequence, 3, "command packet sequence id is not 0");
        }

        return MySqlPacketHeader.Framed(TryReadPayload(payload, payload.Length, out packet), header);
    }

    /// <param name="payload">The payload, or its first bytes when the packet is long.</param>
    /// <param name="payloadLength">The payload length the header declared.</param>
    public static ParseResult TryReadPayload(ReadOnlySpan<byte> payload, int payloadLength, out CommandPacket packet)
    {
        packet = default;
        if (payload.IsEmpty || payloadLength < 1)
        {
            return ParseResult.Malformed(WireError.MySqlBadPacket, 0, "empty command packet");
        }

        var command = payload[0];
        if (!MySqlCommand.IsKnown(command))
        {
            return ParseResult.Malformed(WireError.MySqlBadPacket, 0, "unknown command byte");
        }

        var (minimum, maximum) = command switch
        {
            MySqlCommand.Quit or MySqlCommand.Ping or MySqlCommand.Statistics or MySqlCommand.Debug
                or MySqlCommand.ResetConnection or MySqlCommand.ProcessInfo => (1, 1),
            MySqlCommand.StmtClose or MySqlCommand.StmtReset or MySqlCommand.ProcessKill => (5, 5),
            MySqlCommand.SetOption => (3, 3),
            MySqlCommand.StmtFetch => (9, 9),
            MySqlCommand.StmtExecute => (10, int.MaxValue),
            MySqlCommand.StmtSendLongData => (7, int.MaxValue),
            MySqlCommand.Query or MySqlCommand.StmtPrepare or MySqlCommand.InitDb or MySqlCommand.FieldList
                or MySqlCommand.CreateDb or MySqlCommand.DropDb => (2, int.MaxValue),
            _ => (1, int.MaxValue),
        };
        if (payloadLength < minimum || payloadLength > maximum)
        {
            return ParseResult.Malformed(WireError.MySqlBadPacket, 0, "command packet length does not fit its command");
        }

        uint statementId = 0;
        if (command is MySqlCommand.StmtExecute or MySqlCommand.StmtSendLongData or MySqlCommand.StmtClose
            or MySqlCommand.StmtReset or MySqlCommand.StmtFetch)
        {
            var reader = new PayloadReader(payload, 1);
            statementId = reader.ReadUInt32LittleEndian();
            if (reader.Overrun)
            {
                return ParseResult.NeedMore;
            }
        }

        packet = new CommandPacket(command, payload[1..], statementId);
        return ParseResult.Parsed(payloadLength);
    }

    /// <summary>
    /// The SQL of COM_QUERY: the argument after any query attributes. When the capabilities are not known
    /// (mid-stream), a leading 0x00 is taken as an empty attribute block (no SQL starts with NUL).
    /// </summary>
    public ReadOnlySpan<byte> QueryText(bool? queryAttributes)
    {
        if (Command != MySqlCommand.Query || Argument.IsEmpty)
        {
            return Argument;
        }

        if (queryAttributes == false || (queryAttributes is null && Argument[0] != 0))
        {
            return Argument;
        }

        var reader = new PayloadReader(Argument);
        var parameterCount = reader.ReadLengthEncodedInteger(out var badCount);
        reader.ReadLengthEncodedInteger(out var badSets);
        if (reader.Overrun || badCount || badSets)
        {
            return Argument;
        }

        // Bound parameters (rare) carry typed binary values; without them the SQL follows directly.
        return parameterCount == 0 ? reader.Rest : Argument;
    }

    /// <summary>For COM_FIELD_LIST: the table name before its NUL.</summary>
    public ReadOnlySpan<byte> TableName()
    {
        var nul = Argument.IndexOf((byte)0);
        return nul >= 0 ? Argument[..nul] : Argument;
    }
}
