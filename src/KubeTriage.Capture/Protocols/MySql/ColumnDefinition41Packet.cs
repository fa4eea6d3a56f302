using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Protocols.MySql;

/// <summary>
/// Protocol::ColumnDefinition41
/// (https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_query_response_text_resultset_column_definition.html).
/// <code>
///   catalog "def" | schema | table | org_table | name | org_name      (six lenenc strings)
///   | [ extended type info (lenenc) — MariaDB 10.5+ with MARIADB_CLIENT_EXTENDED_METADATA ]
///   | 0x0C | charset (2) | column_length (4) | type (1) | flags (2) | decimals (1) | filler (2)
///   | [ default values (lenenc) — COM_FIELD_LIST only ]
/// </code>
/// Mid-stream the capabilities are unknown, so a lenenc other than 0x0C before the fixed fields is
/// taken as MariaDB's extended type info (https://mariadb.com/kb/en/result-set-packets/#column-definition-packet).
/// </summary>
internal readonly ref struct ColumnDefinition41Packet
{
    private const int FixedFieldsLength = 0x0C;

    private ColumnDefinition41Packet(ReadOnlySpan<byte> table, ReadOnlySpan<byte> name, byte type)
    {
        Table = table;
        Name = name;
        Type = type;
    }

    public ReadOnlySpan<byte> Table { get; }

    public ReadOnlySpan<byte> Name { get; }

    public byte Type { get; }

    public static ParseResult TryRead(ReadOnlySpan<byte> stream, out ColumnDefinition41Packet packet)
    {
        packet = default;
        var framing = MySqlPacketHeader.TryReadPacket(stream, out var header, out var payload);
        return framing.IsParsed ? MySqlPacketHeader.Framed(TryReadPayload(payload, out packet), header) : framing;
    }

    public static ParseResult TryReadPayload(ReadOnlySpan<byte> payload, out ColumnDefinition41Packet packet)
    {
        packet = default;
        var reader = new PayloadReader(payload);
        if (!reader.ReadLengthEncodedString().SequenceEqual("def"u8))
        {
            return ParseResult.Malformed(WireError.MySqlBadPacket, 0, "column definition catalog is not \"def\"");
        }

        reader.ReadLengthEncodedString();
        var table = reader.ReadLengthEncodedString();
        reader.ReadLengthEncodedString();
        var name = reader.ReadLengthEncodedString();
        reader.ReadLengthEncodedString();
        if (reader.PeekByte() != FixedFieldsLength)
        {
            reader.ReadLengthEncodedString();
        }

        var fixedLength = reader.ReadLengthEncodedInteger(out _);
        reader.Skip(2 + 4);
        var type = reader.ReadByte();
        reader.Skip(2 + 1 + 2);
        if (reader.Overrun || fixedLength != FixedFieldsLength)
        {
            return ParseResult.Malformed(WireError.MySqlBadPacket, Math.Min(reader.Offset, payload.Length), "column definition shorter than its fields");
        }

        packet = new ColumnDefinition41Packet(table, name, type);
        return ParseResult.Parsed(payload.Length);
    }
}
