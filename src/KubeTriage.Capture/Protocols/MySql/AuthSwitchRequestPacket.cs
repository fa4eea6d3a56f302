using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Protocols.MySql;

/// <summary>
/// Protocol::AuthSwitchRequest
/// (https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_packets_protocol_auth_switch_request.html):
/// the server asks the client to authenticate again with another plugin; the client answers with auth
/// data (the sequence id goes on rising) and the server then sends OK, ERR or more.
/// <code>
///   0xFE | plugin_name NUL | plugin_data…          (0xFE alone: the pre-4.1 "old password" switch)
/// </code>
/// </summary>
internal readonly ref struct AuthSwitchRequestPacket
{
    public const byte Header = 0xFE;

    private AuthSwitchRequestPacket(ReadOnlySpan<byte> pluginName) => PluginName = pluginName;

    public ReadOnlySpan<byte> PluginName { get; }

    public static ParseResult TryRead(ReadOnlySpan<byte> stream, out AuthSwitchRequestPacket packet)
    {
        packet = default;
        var framing = MySqlPacketHeader.TryReadPacket(stream, out var header, out var payload);
        return framing.IsParsed ? MySqlPacketHeader.Framed(TryReadPayload(payload, out packet), header) : framing;
    }

    public static ParseResult TryReadPayload(ReadOnlySpan<byte> payload, out AuthSwitchRequestPacket packet)
    {
        packet = default;
        var reader = new PayloadReader(payload);
        if (reader.ReadByte() != Header || reader.Overrun)
        {
            return ParseResult.Malformed(WireError.MySqlBadPacket, 0, "auth switch does not start with 0xFE");
        }

        var plugin = reader.Remaining > 0 ? reader.ReadNullTerminated() : default;
        if (reader.Overrun)
        {
            return ParseResult.Malformed(WireError.MySqlBadPacket, 1, "auth switch plugin name has no NUL");
        }

        packet = new AuthSwitchRequestPacket(plugin);
        return ParseResult.Parsed(payload.Length);
    }
}
