using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Protocols.MySql;

/// <summary>
/// The first packet of a text or binary result set
/// (https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_query_response_text_resultset.html):
/// <code>
///   column_count (lenenc, &gt; 0) | [ metadata_follows (1) if CLIENT_OPTIONAL_RESULTSET_METADATA ]
/// </code>
/// </summary>
internal readonly ref struct ColumnCountPacket
{
    /// <summary>MySQL allows 4096 columns per table; a join may have more, but not millions.</summary>
    public const ulong MaxColumns = 65535;

    private ColumnCountPacket(int columnCount, bool metadataFollows)
    {
        ColumnCount = columnCount;
        MetadataFollows = metadataFollows;
    }

    public int ColumnCount { get; }

    /// <summary>False when the server skipped the column definitions (RESULTSET_METADATA_NONE).</summary>
    public bool MetadataFollows { get; }

    public static ParseResult TryRead(ReadOnlySpan<byte> stream, out ColumnCountPacket packet)
    {
        packet = default;
        var framing = MySqlPacketHeader.TryReadPacket(stream, out var header, out var payload);
        return framing.IsParsed ? MySqlPacketHeader.Framed(TryReadPayload(payload, out packet), header) : framing;
    }

    public static ParseResult TryReadPayload(ReadOnlySpan<byte> payload, out ColumnCountPacket packet)
    {
        packet = default;
        var reader = new PayloadReader(payload);
        var count = reader.ReadLengthEncodedInteger(out var invalid);
        if (reader.Overrun || invalid || count == 0 || count > MaxColumns)
        {
            return ParseResult.Malformed(WireError.MySqlBadPacket, 0, "column count is not a length-encoded integer of 1 to 65535");
        }

        var metadataFollows = true;
        if (reader.Remaining == 1)
        {
            metadataFollows = reader.ReadByte() != 0;
        }
        else if (reader.Remaining > 1)
        {
            return ParseResult.Malformed(WireError.MySqlBadPacket, reader.Offset, "column count packet has extra bytes");
        }

        packet = new ColumnCountPacket((int)count, metadataFollows);
        return ParseResult.Parsed(payload.Length);
    }
}
