using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Protocols.MySql;

/// <summary>
/// OK_Packet (https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_ok_packet.html).
/// <code>
///   0x00 (or 0xFE ending a result set under CLIENT_DEPRECATE_EOF) | affected_rows (lenenc)
///   | last_insert_id (lenenc) | status_flags (2) | warnings (2) | info…
/// </code>
/// </summary>
internal readonly ref struct OkPacket
{
    public const byte Header = 0x00;
    public const byte EofHeader = 0xFE;

    /// <summary>Header, two one-byte lenencs, status and warnings.</summary>
    public const int MinimumSize = 7;

    private OkPacket(ulong affectedRows, ulong lastInsertId, ushort status, ushort warnings)
    {
        AffectedRows = affectedRows;
        LastInsertId = lastInsertId;
        Status = status;
        Warnings = warnings;
    }

    public ulong AffectedRows { get; }

    public ulong LastInsertId { get; }

    public ushort Status { get; }

    public ushort Warnings { get; }

    public static ParseResult TryRead(ReadOnlySpan<byte> stream, out OkPacket packet)
    {
        packet = default;
        var framing = MySqlPacketHeader.TryReadPacket(stream, out var header, out var payload);
        return framing.IsParsed ? MySqlPacketHeader.Framed(TryReadPayload(payload, out packet), header) : framing;
    }

    public static ParseResult TryReadPayload(ReadOnlySpan<byte> payload, out OkPacket packet)
    {
        packet = default;
        var reader = new PayloadReader(payload);
        var first = reader.ReadByte();
        if (first is not (Header or EofHeader) || reader.Overrun)
        {
            return ParseResult.Malformed(WireError.MySqlBadPacket, 0, "OK packet does not start with 0x00 or 0xFE");
        }

        var affected = reader.ReadLengthEncodedInteger(out var badAffected);
        var insertIdAt = reader.Offset;
        var insertId = reader.ReadLengthEncodedInteger(out var badInsertId);
        var status = reader.ReadUInt16LittleEndian();
        var warnings = reader.ReadUInt16LittleEndian();
        if (reader.Overrun || badAffected || badInsertId)
        {
            var at = badAffected ? 1 : badInsertId ? insertIdAt : reader.Offset;
            return ParseResult.Malformed(WireError.MySqlBadPacket, at, "OK packet shorter than its fields");
        }

        packet = new OkPacket(affected, insertId, status, warnings);
        return ParseResult.Parsed(payload.Length);
    }
}
