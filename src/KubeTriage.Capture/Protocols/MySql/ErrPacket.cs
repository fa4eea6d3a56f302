using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Protocols.MySql;

/// <summary>
/// ERR_Packet (https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_err_packet.html).
/// <code>
///   0xFF | error_code (2) | [ '#' sql_state (5) ] | error_message (rest)
/// </code>
/// The SQLSTATE marker is absent from errors sent before the handshake (1040, 1130), whose server does
/// not yet know the client speaks protocol 4.1.
/// </summary>
internal readonly ref struct ErrPacket
{
    public const byte Header = 0xFF;
    private const byte StateMarker = (byte)'#';
    private const int StateLength = 5;

    private ErrPacket(ushort errorCode, ReadOnlySpan<byte> sqlState, ReadOnlySpan<byte> message)
    {
        ErrorCode = errorCode;
        SqlState = sqlState;
        Message = message;
    }

    public ushort ErrorCode { get; }

    /// <summary>Empty when the packet had no SQLSTATE.</summary>
    public ReadOnlySpan<byte> SqlState { get; }

    public ReadOnlySpan<byte> Message { get; }

    public static ParseResult TryRead(ReadOnlySpan<byte> stream, out ErrPacket packet)
    {
        packet = default;
        var framing = MySqlPacketHeader.TryReadPacket(stream, out var header, out var payload);
        return framing.IsParsed ? MySqlPacketHeader.Framed(TryReadPayload(payload, out packet), header) : framing;
    }

    /// <summary>Also reads the start of an error whose message was cut (it just ends early).</summary>
    public static ParseResult TryReadPayload(ReadOnlySpan<byte> payload, out ErrPacket packet)
    {
        packet = default;
        var reader = new PayloadReader(payload);
        if (reader.ReadByte() != Header)
        {
            return ParseResult.Malformed(WireError.MySqlBadPacket, 0, "ERR packet does not start with 0xFF");
        }

        var code = reader.ReadUInt16LittleEndian();
        if (reader.Overrun)
        {
            return ParseResult.Malformed(WireError.MySqlBadPacket, Math.Min(1, payload.Length), "ERR packet shorter than its error code");
        }

        ReadOnlySpan<byte> state = default;
        if (reader.PeekByte() == StateMarker && reader.Remaining > StateLength)
        {
            reader.Skip(1);
            state = reader.ReadBytes(StateLength);
        }

        packet = new ErrPacket(code, state, reader.ReadRest());
        return ParseResult.Parsed(payload.Length);
    }
}
