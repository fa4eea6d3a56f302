namespace KubeTriage.Capture.Protocols.MySql;

/// <summary>
/// Recognises MySQL from a segment's first bytes, for the registry (ports other than 3306) and for
/// resynchronising a connection that starts mid-stream: a server greeting (sequence 0, protocol 10,
/// a printable NUL-terminated version), or a client command (sequence 0, a known command byte, a length
/// that fits the command and ends where the segment or the next such command begins, and for commands
/// carrying SQL or a name, text that looks like text).
/// </summary>
internal static class MySqlShape
{
    private const int MaxTextCheck = 32;

    public static bool LooksLikeGreeting(ReadOnlySpan<byte> data)
    {
        if (!MySqlPacketHeader.TryReadPacket(data, out var header, out var payload).IsParsed
            || header.SequenceId != 0 || header.PayloadLength > 1024)
        {
            return false;
        }

        if (!HandshakeV10Packet.TryReadPayload(payload, out var greeting).IsParsed || greeting.ServerVersion.IsEmpty)
        {
            return false;
        }

        foreach (var b in greeting.ServerVersion)
        {
            if (b is < 0x20 or > 0x7E)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// An ERR packet as a connection's first server packet (sequence 0, the whole segment, a text message):
    /// how a server refuses a client before the handshake (1040 Too many connections, 1130 Host not allowed).
    /// </summary>
    public static bool LooksLikeRefusal(ReadOnlySpan<byte> data) =>
        MySqlPacketHeader.TryReadPacket(data, out var header, out var payload).IsParsed
        && header.SequenceId == 0
        && header.PacketLength == data.Length
        && ErrPacket.TryReadPayload(payload, out var error).IsParsed
        && LooksLikeText(error.Message);

    /// <summary>A client command packet starting exactly at <paramref name="data"/>[0].</summary>
    public static bool LooksLikeCommand(ReadOnlySpan<byte> data) => LooksLikeCommand(data, 2);

    private static bool LooksLikeCommand(ReadOnlySpan<byte> data, int depth)
    {
        if (!MySqlPacketHeader.TryRead(data, out var header).IsParsed || header.SequenceId != 0
            || header.PayloadLength == 0 || header.IsContinued || data.Length < header.PacketLength)
        {
            return false;
        }

        var payload = data.Slice(MySqlPacketHeader.Size, header.PayloadLength);
        if (!CommandPacket.TryReadPayload(payload, payload.Length, out var command).IsParsed
            || command.Command is MySqlCommand.ChangeUser or MySqlCommand.BinlogDump or MySqlCommand.BinlogDumpGtid
                or MySqlCommand.RegisterSlave or MySqlCommand.Shutdown or MySqlCommand.Refresh or MySqlCommand.Clone)
        {
            return false;
        }

        var text = command.Command switch
        {
            MySqlCommand.Query => command.QueryText(null),
            MySqlCommand.StmtPrepare or MySqlCommand.InitDb or MySqlCommand.CreateDb or MySqlCommand.DropDb => command.Argument,
            MySqlCommand.FieldList => command.TableName(),
            _ => default,
        };
        if (command.Command is MySqlCommand.Query or MySqlCommand.StmtPrepare or MySqlCommand.InitDb
                or MySqlCommand.FieldList or MySqlCommand.CreateDb or MySqlCommand.DropDb
            && !LooksLikeText(text))
        {
            return false;
        }

        var rest = data[header.PacketLength..];
        return rest.IsEmpty || (depth > 0 && LooksLikeCommand(rest, depth - 1));
    }

    /// <summary>Non-empty, and the first bytes are printable ASCII, whitespace or UTF-8 (no other control bytes).</summary>
    public static bool LooksLikeText(ReadOnlySpan<byte> text)
    {
        if (text.IsEmpty)
        {
            return false;
        }

        foreach (var b in text[..Math.Min(text.Length, MaxTextCheck)])
        {
            if (b < 0x20 && b is not ((byte)'\t' or (byte)'\n' or (byte)'\r') || b == 0x7F)
            {
                return false;
            }
        }

        return true;
    }
}
