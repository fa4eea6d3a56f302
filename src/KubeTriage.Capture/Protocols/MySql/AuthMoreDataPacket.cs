using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Protocols.MySql;

/// <summary>
/// Protocol::AuthMoreData
/// (https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_packets_protocol_auth_more_data.html):
/// plugin-specific data in the middle of authentication. For caching_sha2_password one byte says
/// 0x03 fast-auth success (an OK follows) or 0x04 full authentication (the client sends more first).
/// <code>
///   0x01 | plugin data…
/// </code>
/// </summary>
internal readonly ref struct AuthMoreDataPacket
{
    public const byte Header = 0x01;

    private AuthMoreDataPacket(ReadOnlySpan<byte> data) => Data = data;

    public ReadOnlySpan<byte> Data { get; }

    public static ParseResult TryRead(ReadOnlySpan<byte> stream, out AuthMoreDataPacket packet)
    {
        packet = default;
        var framing = MySqlPacketHeader.TryReadPacket(stream, out var header, out var payload);
        return framing.IsParsed ? MySqlPacketHeader.Framed(TryReadPayload(payload, out packet), header) : framing;
    }

    public static ParseResult TryReadPayload(ReadOnlySpan<byte> payload, out AuthMoreDataPacket packet)
    {
        packet = default;
        if (payload.IsEmpty || payload[0] != Header)
        {
            return ParseResult.Malformed(WireError.MySqlBadPacket, 0, "auth more data does not start with 0x01");
        }

        packet = new AuthMoreDataPacket(payload[1..]);
        return ParseResult.Parsed(payload.Length);
    }
}
