using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Protocols.MySql;

/// <summary>
/// LOCAL INFILE request (https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_query_response_local_infile_request.html):
/// the answer to <c>LOAD DATA LOCAL INFILE</c>; the client sends the file in packets ending with an
/// empty one, then the server sends OK or ERR.
/// <code>
///   0xFB | filename…
/// </code>
/// </summary>
internal readonly ref struct LocalInfileRequestPacket
{
    public const byte Header = 0xFB;

    private LocalInfileRequestPacket(ReadOnlySpan<byte> fileName) => FileName = fileName;

    public ReadOnlySpan<byte> FileName { get; }

    public static ParseResult TryRead(ReadOnlySpan<byte> stream, out LocalInfileRequestPacket packet)
    {
        packet = default;
        var framing = MySqlPacketHeader.TryReadPacket(stream, out var header, out var payload);
        return framing.IsParsed ? MySqlPacketHeader.Framed(TryReadPayload(payload, out packet), header) : framing;
    }

    public static ParseResult TryReadPayload(ReadOnlySpan<byte> payload, out LocalInfileRequestPacket packet)
    {
        packet = default;
        if (payload.IsEmpty || payload[0] != Header)
        {
            return ParseResult.Malformed(WireError.MySqlBadPacket, 0, "LOCAL INFILE request does not start with 0xFB");
        }

        packet = new LocalInfileRequestPacket(payload[1..]);
        return ParseResult.Parsed(payload.Length);
    }
}
