using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Protocols.MySql;

/// <summary>
/// EOF_Packet (https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_eof_packet.html):
/// ends column definitions and rows unless CLIENT_DEPRECATE_EOF replaced it with an OK packet.
/// <code>
///   0xFE | warnings (2) | status_flags (2)        (protocol 4.1: 5 bytes; before 4.1: the 0xFE alone)
/// </code>
/// A packet starting 0xFE is an EOF only when shorter than 9 bytes: longer ones are rows or OKs.
/// </summary>
internal readonly ref struct EofPacket
{
    public const byte Header = 0xFE;
    public const int Size = 5;
    public const int MaxSize = 8;

    private EofPacket(ushort warnings, ushort status)
    {
        Warnings = warnings;
        Status = status;
    }

    public ushort Warnings { get; }

    public ushort Status { get; }

    public static ParseResult TryRead(ReadOnlySpan<byte> stream, out EofPacket packet)
    {
        packet = default;
        var framing = MySqlPacketHeader.TryReadPacket(stream, out var header, out var payload);
        return framing.IsParsed ? MySqlPacketHeader.Framed(TryReadPayload(payload, out packet), header) : framing;
    }

    public static ParseResult TryReadPayload(ReadOnlySpan<byte> payload, out EofPacket packet)
    {
        packet = default;
        if (payload.IsEmpty || payload[0] != Header)
        {
            return ParseResult.Malformed(WireError.MySqlBadPacket, 0, "EOF packet does not start with 0xFE");
        }

        if (payload.Length is not (1 or Size))
        {
            return ParseResult.Malformed(WireError.MySqlBadPacket, 1, "EOF packet is neither 1 nor 5 bytes");
        }

        var reader = new PayloadReader(payload, 1);
        var warnings = reader.ReadUInt16LittleEndian();
        var status = reader.ReadUInt16LittleEndian();
        packet = payload.Length == 1 ? default : new EofPacket(warnings, status);
        return ParseResult.Parsed(payload.Length);
    }

    /// <summary>Shape test for a packet that may end a list: 0xFE and short enough not to be a row or a long OK.</summary>
    public static bool IsEof(ReadOnlySpan<byte> payload, int payloadLength) =>
        payloadLength is 1 or Size && !payload.IsEmpty && payload[0] == Header;
}
