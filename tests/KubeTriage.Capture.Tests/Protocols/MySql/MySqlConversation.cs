using System.Text;
using KubeTriage.Capture.Flows;
using KubeTriage.Capture.Primitives;
using KubeTriage.Capture.Protocols;
using KubeTriage.Capture.Protocols.MySql;
using KubeTriage.Capture.Tests.Protocols.Support;
using KubeTriage.Capture.Tests.Support;

namespace KubeTriage.Capture.Tests.Protocols.MySql;

/// <summary>Feeds hand-built MySQL packets to one dissector, one millisecond and one frame apart.</summary>
public sealed class MySqlConversation
{
    public static readonly WireEndpoint ClientEndpoint = new(NetAddress.Parse("198.18.1.20"), 40000);
    public static readonly WireEndpoint ServerEndpoint = new(NetAddress.Parse("198.18.2.20"), 3306);

    private readonly List<byte>[] _buffers = [[], []];
    private readonly ITcpStreamDissector _dissector;

    public MySqlConversation(bool midStream = false, ProtocolOptions? options = null, bool swapped = false)
    {
        var context = swapped
            ? new TcpStreamContext(ServerEndpoint, ClientEndpoint, midStream, "f", Sink)
            : new TcpStreamContext(ClientEndpoint, ServerEndpoint, midStream, "f", Sink);
        _dissector = new MySqlStreamDissector(context, options ?? ProtocolOptions.Default, new TextCache(), swapped);
        Swapped = swapped;
    }

    public RecordingSink Sink { get; } = new();

    public bool Swapped { get; }

    public long TimeNs { get; private set; }

    public long Frame { get; private set; }

    /// <summary>The bytes each call consumed, in order.</summary>
    public List<int> Consumed { get; } = [];

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

    public static byte[] Text(string hexOrText) => Encoding.UTF8.GetBytes(hexOrText);

    public MySqlConversation Client(params byte[][] packets) => Send(true, packets.SelectMany(p => p).ToArray());

    public MySqlConversation Server(params byte[][] packets) => Send(false, packets.SelectMany(p => p).ToArray());

    /// <summary>Offers bytes the way the engine does: whatever was not consumed, with the new bytes appended.</summary>
    public MySqlConversation Send(bool fromClient, byte[] bytes)
    {
        TimeNs += 1_000_000;
        Frame++;
        var wire = fromClient != Swapped;
        var buffer = _buffers[wire ? 0 : 1];
        buffer.AddRange(bytes);
        var consumed = _dissector.OnData(buffer.ToArray(), wire, TimeNs, Frame);
        Assert.InRange(consumed, 0, buffer.Count);
        buffer.RemoveRange(0, consumed);
        Consumed.Add(consumed);
        return this;
    }

    /// <summary>Bytes the dissector left unconsumed in one direction.</summary>
    public int Buffered(bool fromClient) => _buffers[fromClient != Swapped ? 0 : 1].Count;

    public MySqlConversation Gap(bool fromClient)
    {
        _dissector.OnGap(fromClient != Swapped, TimeNs);
        _buffers[0].Clear();
        _buffers[1].Clear();
        return this;
    }

    public RecordingSink End()
    {
        _dissector.OnEnd(TimeNs + 1);
        return Sink;
    }

    /// <summary>Outcome summaries "command outcome rows" of what was reported so far.</summary>
    public IEnumerable<string> Summary() =>
        Sink.MySql.Select(t => $"{t.CommandName} {t.Outcome.ToString().ToLowerInvariant()}{(t.ErrorCode is { } e ? " " + e : string.Empty)}{(t.Outcome == MySqlOutcome.ResultSet ? " rows=" + t.Rows : string.Empty)}");
}
