using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Protocols.MySql;

/// <summary>
/// COM_STMT_PREPARE_OK (https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_stmt_prepare.html):
/// <code>
///   0x00 | statement_id (4) | num_columns (2) | num_params (2) | reserved 0x00 (1)
///   | [ warning_count (2) ] | [ metadata_follows (1) ]
/// </code>
/// Followed by num_params parameter definitions and num_columns column definitions, each list ended by
/// an EOF unless CLIENT_DEPRECATE_EOF.
/// </summary>
internal readonly ref struct StmtPrepareOkPacket
{
    public const byte Header = 0x00;
    private const int MinimumSize = 9;
    private const int MaximumSize = 13;

    private StmtPrepareOkPacket(uint statementId, int columnCount, int parameterCount)
    {
        StatementId = statementId;
        ColumnCount = columnCount;
        ParameterCount = parameterCount;
    }

    public uint StatementId { get; }

    public int ColumnCount { get; }

    public int ParameterCount { get; }

    public static ParseResult TryRead(ReadOnlySpan<byte> stream, out StmtPrepareOkPacket packet)
    {
        packet = default;
        var framing = MySqlPacketHeader.TryReadPacket(stream, out var header, out var payload);
        return framing.IsParsed ? MySqlPacketHeader.Framed(TryReadPayload(payload, out packet), header) : framing;
    }

    public static ParseResult TryReadPayload(ReadOnlySpan<byte> payload, out StmtPrepareOkPacket packet)
    {
        packet = default;
        if (payload.Length is < MinimumSize or > MaximumSize || payload[0] != Header)
        {
            return ParseResult.Malformed(WireError.MySqlBadPacket, 0, "prepare OK is not 0x00 and 9 to 13 bytes");
        }

        var reader = new PayloadReader(payload, 1);
        var id = reader.ReadUInt32LittleEndian();
        var columns = reader.ReadUInt16LittleEndian();
        var parameters = reader.ReadUInt16LittleEndian();
        packet = new StmtPrepareOkPacket(id, columns, parameters);
        return ParseResult.Parsed(payload.Length);
    }
}
