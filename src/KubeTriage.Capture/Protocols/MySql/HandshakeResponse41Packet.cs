using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Protocols.MySql;

/// <summary>
/// The client's login, Protocol::HandshakeResponse41
/// (https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_packets_protocol_handshake_response.html).
/// <code>
///   capabilities (4) | max_packet (4) | charset (1) | filler (23) | username NUL
///   | auth_response (lenenc, or 1-byte length, or NUL-terminated, by capability)
///   | [database NUL if CLIENT_CONNECT_WITH_DB] | [plugin name NUL] | [attributes]
/// </code>
/// Only the user and database are kept; what follows the database is not checked (client attributes
/// vary widely and matter to no finding).
/// </summary>
internal readonly ref struct HandshakeResponse41Packet
{
    /// <summary>Everything before the user name: an SSLRequest is exactly this long.</summary>
    public const int FixedSize = 32;

    private HandshakeResponse41Packet(uint capabilities, ReadOnlySpan<byte> user, ReadOnlySpan<byte> database)
    {
        Capabilities = capabilities;
        User = user;
        Database = database;
    }

    public uint Capabilities { get; }

    public ReadOnlySpan<byte> User { get; }

    public ReadOnlySpan<byte> Database { get; }

    public static ParseResult TryRead(ReadOnlySpan<byte> stream, out HandshakeResponse41Packet packet)
    {
        packet = default;
        var framing = MySqlPacketHeader.TryReadPacket(stream, out var header, out var payload);
        return framing.IsParsed ? MySqlPacketHeader.Framed(TryReadPayload(payload, out packet), header) : framing;
    }

    public static ParseResult TryReadPayload(ReadOnlySpan<byte> payload, out HandshakeResponse41Packet packet)
    {
        packet = default;
        var reader = new PayloadReader(payload);
        var capabilities = reader.ReadUInt32LittleEndian();
        if ((capabilities & MySqlCapabilities.Protocol41) == 0)
        {
            return ParseResult.Malformed(WireError.MySqlBadPacket, 0, "login without CLIENT_PROTOCOL_41");
        }

        reader.Skip(4 + 1 + 23);
        var user = reader.ReadNullTerminated();
        if (reader.Overrun)
        {
            return ParseResult.Malformed(WireError.MySqlBadPacket, Math.Min(reader.Offset, payload.Length), "login shorter than its user name");
        }

        if ((capabilities & MySqlCapabilities.PluginAuthLengthEncodedData) != 0)
        {
            reader.ReadLengthEncodedString();
        }
        else if ((capabilities & MySqlCapabilities.SecureConnection) != 0)
        {
            reader.Skip(reader.ReadByte());
        }
        else
        {
            reader.ReadNullTerminated();
        }

        ReadOnlySpan<byte> database = default;
        if ((capabilities & MySqlCapabilities.ConnectWithDb) != 0)
        {
            database = reader.ReadNullTerminated();
        }

        if (reader.Overrun)
        {
            return ParseResult.Malformed(WireError.MySqlBadPacket, reader.Offset, "login shorter than its auth response");
        }

        packet = new HandshakeResponse41Packet(capabilities, user, database);
        return ParseResult.Parsed(payload.Length);
    }
}
