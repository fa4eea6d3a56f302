using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Protocols.MySql;

/// <summary>
/// The server greeting, Protocol::HandshakeV10
/// (https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_packets_protocol_handshake_v10.html).
/// <code>
///   0x0A | server_version NUL | connection_id (4) | auth_plugin_data_1 (8) | filler (1) | capabilities low (2)
///   [ charset (1) | status (2) | capabilities high (2) | auth_data_len (1) | reserved (10)
///     | auth_plugin_data_2 (max 13, len - 8) | auth_plugin_name NUL ]
/// </code>
/// </summary>
internal readonly ref struct HandshakeV10Packet
{
    public const byte ProtocolVersion = 10;

    private HandshakeV10Packet(ReadOnlySpan<byte> serverVersion, uint connectionId, uint capabilities, ReadOnlySpan<byte> authPluginName)
    {
        ServerVersion = serverVersion;
        ConnectionId = connectionId;
        Capabilities = capabilities;
        AuthPluginName = authPluginName;
    }

    public ReadOnlySpan<byte> ServerVersion { get; }

    public uint ConnectionId { get; }

    public uint Capabilities { get; }

    public ReadOnlySpan<byte> AuthPluginName { get; }

    public static ParseResult TryRead(ReadOnlySpan<byte> stream, out HandshakeV10Packet packet)
    {
        packet = default;
        var framing = MySqlPacketHeader.TryReadPacket(stream, out var header, out var payload);
        return framing.IsParsed ? MySqlPacketHeader.Framed(TryReadPayload(payload, out packet), header) : framing;
    }

    public static ParseResult TryReadPayload(ReadOnlySpan<byte> payload, out HandshakeV10Packet packet)
    {
        packet = default;
        var reader = new PayloadReader(payload);
        if (reader.ReadByte() != ProtocolVersion)
        {
            return ParseResult.Malformed(WireError.MySqlBadPacket, 0, "greeting is not protocol version 10");
        }

        var version = reader.ReadNullTerminated();
        var connectionId = reader.ReadUInt32LittleEndian();
        reader.Skip(8 + 1);
        uint capabilities = reader.ReadUInt16LittleEndian();
        ReadOnlySpan<byte> plugin = default;
        if (!reader.Overrun && reader.Remaining > 0)
        {
            reader.Skip(1 + 2);
            capabilities |= (uint)reader.ReadUInt16LittleEndian() << 16;
            var authDataLength = reader.ReadByte();
            reader.Skip(10);
            if ((capabilities & MySqlCapabilities.SecureConnection) != 0)
            {
                reader.Skip(Math.Max(13, authDataLength - 8));
            }

            if ((capabilities & MySqlCapabilities.PluginAuth) != 0)
            {
                // Some 5.5 servers leave the final NUL off the plugin name.
                plugin = reader.ReadRest();
                var nul = plugin.IndexOf((byte)0);
                plugin = nul >= 0 ? plugin[..nul] : plugin;
            }
        }

        if (reader.Overrun)
        {
            return ParseResult.Malformed(WireError.MySqlBadPacket, reader.Offset, "greeting shorter than its fields");
        }

        packet = new HandshakeV10Packet(version, connectionId, capabilities, plugin);
        return ParseResult.Parsed(payload.Length);
    }
}
