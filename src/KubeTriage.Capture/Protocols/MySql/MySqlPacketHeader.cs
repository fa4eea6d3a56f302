using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Protocols.MySql;

/// <summary>
/// The 4-byte header of every MySQL packet
/// (https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_packets.html):
/// <code>
///   payload_length (3, little-endian) | sequence_id (1) | payload
/// </code>
/// A payload of exactly 0xFFFFFF bytes is continued by the next packet (the last one is shorter,
/// possibly empty). The sequence id starts at 0 with each command and rises with every packet.
/// </summary>
internal readonly record struct MySqlPacketHeader(int PayloadLength, byte SequenceId)
{
    public const int Size = 4;
    public const int MaxPayload = 0xFFFFFF;

    public bool IsContinued => PayloadLength == MaxPayload;

    public int PacketLength => Size + PayloadLength;

    public static ParseResult TryRead(ReadOnlySpan<byte> stream, out MySqlPacketHeader header)
    {
        var reader = new PayloadReader(stream);
        header = new MySqlPacketHeader((int)reader.ReadUInt24LittleEndian(), reader.ReadByte());
        if (reader.Overrun)
        {
            header = default;
            return ParseResult.NeedMore;
        }

        return ParseResult.Parsed(Size);
    }

    /// <summary>
    /// Frames one whole packet: need-more until header and payload are all there; parsed hands the exact
    /// payload slice to <paramref name="payload"/>. Every packet <c>TryRead</c> is built on this.
    /// </summary>
    public static ParseResult TryReadPacket(ReadOnlySpan<byte> stream, out MySqlPacketHeader header, out ReadOnlySpan<byte> payload)
    {
        payload = default;
        if (!TryRead(stream, out header).IsParsed || stream.Length < header.PacketLength)
        {
            return ParseResult.NeedMore;
        }

        payload = stream.Slice(Size, header.PayloadLength);
        return ParseResult.Parsed(header.PacketLength);
    }

    /// <summary>A payload result moved into stream terms: consumed is the whole packet, offsets include the header.</summary>
    public static ParseResult Framed(ParseResult payloadResult, MySqlPacketHeader header) => payloadResult.Status switch
    {
        ReadStatus.Parsed => ParseResult.Parsed(header.PacketLength),
        ReadStatus.Malformed => payloadResult with { Offset = payloadResult.Offset + Size },
        _ => payloadResult,
    };
}
