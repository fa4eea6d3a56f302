using System.Text;
using KubeTriage.Capture.Flows;
using KubeTriage.Capture.Protocols;
using KubeTriage.Capture.Protocols.MySql;
using KubeTriage.Capture.Tests.Protocols.Support;
using KubeTriage.Capture.Tests.Support;

namespace KubeTriage.Capture.Tests.Protocols.MySql;

/// <summary>Builds MySQL packets for tests, and conversations with a MySQL dissector.</summary>
public static class MySqlBytes
{
    public static StreamConversation Conversation(bool midStream = false, bool swapped = false, ProtocolOptions? options = null) =>
        new(context => new MySqlStreamDissector(context, options ?? ProtocolOptions.Default, new TextCache(), swapped), midStream, swapped);

    public static byte[] Packet(byte sequence, string payloadHex) => Packet(sequence, Hex.Parse(payloadHex));

    public static byte[] Packet(byte sequence, byte[] payload)
    {
        var packet = new byte[payload.Length + 4];
        packet[0] = (byte)payload.Length;
        packet[1] = (byte)(payload.Length >> 8);
        packet[2] = (byte)(payload.Length >> 16);
        packet[3] = sequence;
        payload.CopyTo(packet, 4);
        return packet;
    }

    public static byte[] Query(string sql, byte command = MySqlCommand.Query) =>
        Packet(0, [command, .. Encoding.UTF8.GetBytes(sql)]);

    public static byte[] Text(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>"command outcome [error] [rows=N]" of what a sink received.</summary>
    public static IEnumerable<string> Summary(this RecordingSink sink) =>
        sink.MySql.Select(t => $"{t.CommandName} {t.Outcome.ToString().ToLowerInvariant()}{(t.ErrorCode is { } e ? " " + e : string.Empty)}{(t.Outcome == MySqlOutcome.ResultSet ? " rows=" + t.Rows : string.Empty)}");
}
