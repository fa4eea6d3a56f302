using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Protocols.MySql;

/// <summary>
/// Protocol::SSLRequest
/// (https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_packets_protocol_ssl_request.html):
/// the first 32 bytes of a HandshakeResponse41 with CLIENT_SSL set, sent alone; TLS follows.
/// <code>
///   capabilities (4, with CLIENT_SSL) | max_packet (4) | charset (1) | filler (23)
/// </code>
/// </summary>
internal readonly ref struct SslRequestPacket
{
    public const int PayloadSize = HandshakeResponse41Packet.FixedSize;

    private SslRequestPacket(uint capabilities) => Capabilities = capabilities;

    public uint Capabilities { get; }

    public static ParseResult TryRead(ReadOnlySpan<byte> stream, out SslRequestPacket packet)
    {
        packet = default;
        var framing = MySqlPacketHeader.TryReadPacket(stream, out var header, out var payload);
        return framing.IsParsed ? MySqlPacketHeader.Framed(TryReadPayload(payload, out packet), header) : framing;
    }

    public static ParseResult TryReadPayload(ReadOnlySpan<byte> payload, out SslRequestPacket packet)
    {
        packet = default;
        if (payload.Length != PayloadSize)
        {
            return ParseResult.Malformed(WireError.MySqlBadPacket, Math.Min(payload.Length, PayloadSize), "SSLRequest is not 32 bytes");
        }

        var reader = new PayloadReader(payload);
        var capabilities = reader.ReadUInt32LittleEndian();
        if ((capabilities & MySqlCapabilities.Ssl) == 0)
        {
            return ParseResult.Malformed(WireError.MySqlBadPacket, 0, "SSLRequest without CLIENT_SSL");
        }

        packet = new SslRequestPacket(capabilities);
        return ParseResult.Parsed(payload.Length);
    }
}
