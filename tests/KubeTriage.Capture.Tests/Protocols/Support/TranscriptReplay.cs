using KubeTriage.Capture.Flows;
using KubeTriage.Capture.Primitives;
using KubeTriage.Capture.Protocols;
using KubeTriage.Capture.Tests.Support;

namespace KubeTriage.Capture.Tests.Protocols.Support;

/// <summary>
/// Drives a <see cref="ProtocolRegistry"/> with a transcript the way the capture engine drives it:
/// UDP datagrams to the dissector the registry picks, with time advancing; TCP payloads in sequence
/// order per direction (retransmitted bytes dropped, a jump forward reported as a gap), unconsumed bytes
/// offered again with the next segment appended, detection retried on the first few segments, and
/// <c>OnEnd</c> when the connection closes or the transcript ends.
/// </summary>
public sealed class TranscriptReplay
{
    private const int DetectionAttempts = 4;
    private const int MaxBuffered = 1 << 20;

    private readonly RecordingSink _sink;
    private readonly ProtocolRegistry _registry;
    private readonly string _file;
    private readonly Dictionary<(WireEndpoint, WireEndpoint), Connection> _connections = [];
    private readonly List<Connection> _order = [];

    public TranscriptReplay(string file, RecordingSink sink, ProtocolOptions? options = null)
    {
        _file = file;
        _sink = sink;
        _registry = new ProtocolRegistry(sink, options);
    }

    public ProtocolRegistry Registry => _registry;

    public static RecordingSink Run(string transcriptName, string captureFileName, ProtocolOptions? options = null)
    {
        var sink = new RecordingSink();
        var replay = new TranscriptReplay(captureFileName, sink, options);
        replay.Feed(Transcript.Load(transcriptName));
        return sink;
    }

    public void Feed(IReadOnlyList<TranscriptPacket> packets)
    {
        long last = 0;
        foreach (var packet in packets)
        {
            last = packet.TimeNs;
            foreach (var udp in _registry.UdpDissectors)
            {
                udp.OnTime(packet.TimeNs);
            }

            if (packet.Tcp)
            {
                OnTcp(packet);
            }
            else
            {
                _registry.ForUdp(packet.Source.Port, packet.Destination.Port, packet.Payload)
                    ?.OnDatagram(packet.Payload, packet.Source, packet.Destination, packet.TimeNs, packet.Frame, _file);
            }
        }

        foreach (var connection in _order.Where(c => !c.Ended))
        {
            connection.End(last);
        }

        foreach (var udp in _registry.UdpDissectors)
        {
            udp.OnEnd(last);
        }
    }

    private void OnTcp(TranscriptPacket packet)
    {
        var key = Key(packet.Source, packet.Destination);
        var syn = (packet.TcpFlags & 0x02) != 0;
        var ack = (packet.TcpFlags & 0x10) != 0;
        if (!_connections.TryGetValue(key, out var connection) || (connection.Ended && syn && !ack))
        {
            var (client, server, midStream) = syn && !ack
                ? (packet.Source, packet.Destination, false)
                : syn
                    ? (packet.Destination, packet.Source, false)
                    : packet.Source.Port > packet.Destination.Port
                        ? (packet.Source, packet.Destination, true)
                        : (packet.Destination, packet.Source, true);
            connection = new Connection(new TcpStreamContext(client, server, midStream, _file, _sink), _registry);
            _connections[key] = connection;
            _order.Add(connection);
        }

        if (!connection.Ended)
        {
            connection.OnSegment(packet);
        }
    }

    private static (WireEndpoint, WireEndpoint) Key(WireEndpoint a, WireEndpoint b) =>
        (a.Address.High, a.Address.Low, a.Port).CompareTo((b.Address.High, b.Address.Low, b.Port)) <= 0 ? (a, b) : (b, a);

    private sealed class Connection(TcpStreamContext context, ProtocolRegistry registry)
    {
        private readonly Direction[] _directions = [new(), new()];
        private ITcpStreamDissector? _dissector;
        private int _attempts;
        private int _fins;

        public bool Ended { get; private set; }

        public void OnSegment(TranscriptPacket packet)
        {
            var fromClient = packet.Source == context.Client;
            var direction = _directions[fromClient ? 0 : 1];
            var syn = (packet.TcpFlags & 0x02) != 0;
            if (syn)
            {
                direction.Next = packet.TcpSequence + 1;
                direction.Started = true;
            }

            if (packet.Payload.Length > 0)
            {
                OnPayload(packet, fromClient, direction);
            }

            if ((packet.TcpFlags & 0x04) != 0 || ((packet.TcpFlags & 0x01) != 0 && ++_fins == 2))
            {
                End(packet.TimeNs);
            }
        }

        public void End(long timeNs)
        {
            Ended = true;
            _dissector?.OnEnd(timeNs);
        }

        private void OnPayload(TranscriptPacket packet, bool fromClient, Direction direction)
        {
            ReadOnlySpan<byte> payload = packet.Payload;
            if (!direction.Started)
            {
                direction.Next = packet.TcpSequence;
                direction.Started = true;
            }

            var offset = (int)(packet.TcpSequence - direction.Next);
            if (offset < 0)
            {
                // Retransmission: keep only bytes beyond what was delivered.
                if (-offset >= payload.Length)
                {
                    return;
                }

                payload = payload[-offset..];
            }
            else if (offset > 0)
            {
                _dissector?.OnGap(fromClient, packet.TimeNs, offset, false);
                direction.Buffer.Clear();
            }

            direction.Next = packet.TcpSequence + (uint)packet.Payload.Length;
            if (_dissector is null)
            {
                if (_attempts++ >= DetectionAttempts)
                {
                    return;
                }

                _dissector = registry.CreateTcp(context, payload, fromClient);
                if (_dissector is null)
                {
                    return;
                }
            }

            direction.Buffer.AddRange(payload);
            var consumed = _dissector.OnData(direction.Buffer.ToArray(), fromClient, packet.TimeNs, packet.Frame);
            Assert.InRange(consumed, 0, direction.Buffer.Count);
            direction.Buffer.RemoveRange(0, consumed);
            if (direction.Buffer.Count > MaxBuffered)
            {
                var dropped = direction.Buffer.Count;
                direction.Buffer.Clear();
                _dissector.OnGap(fromClient, packet.TimeNs, dropped, false);
            }
        }
    }

    private sealed class Direction
    {
        public uint Next { get; set; }

        public bool Started { get; set; }

        public List<byte> Buffer { get; } = [];
    }
}
