using KubeTriage.Capture.Packets;

namespace KubeTriage.Capture.Flows;

/// <summary>
/// Routes decoded packets to their TCP connection or UDP flow, expires idle flows on capture time
/// (reporting them as they go, so memory follows live flows, not file size), ticks the UDP
/// dissectors, and at the end reports every remaining flow in a deterministic order.
/// </summary>
internal sealed class FlowTracker
{
    private readonly FlowContext _context;
    private readonly FlowTable<TcpConversation> _tcp = new();
    private readonly FlowTable<UdpConversation> _udp = new();
    private readonly IdleList _tcpOpen;
    private readonly IdleList _tcpClosed;
    private readonly IdleList _udpIdle;
    private readonly long _tickNs;
    private long _nowNs = long.MinValue;
    private long _nextTickNs = long.MinValue;

    public FlowTracker(FlowContext context)
    {
        _context = context;
        var options = context.Options;
        _tcpOpen = new IdleList(options.TcpIdleTimeout.Ticks * 100);
        _tcpClosed = new IdleList(options.TcpClosedTimeout.Ticks * 100);
        _udpIdle = new IdleList(options.UdpIdleTimeout.Ticks * 100);
        _tickNs = Math.Max(1, options.TickInterval.Ticks * 100);
    }

    public int LiveTcp => _tcp.Count;

    public int LiveUdp => _udp.Count;

    public void OnPacket(in DecodedPacket packet, ReadOnlySpan<byte> frame, long timeNs, long frameNumber, int interfaceId)
    {
        if (timeNs > _nowNs)
        {
            _nowNs = timeNs;
            if (timeNs >= _nextTickNs)
            {
                Tick();
            }
        }

        if (!packet.HasTransport)
        {
            return;
        }

        var key = FlowKey.Create(packet.Source, packet.SourcePort, packet.Destination, packet.DestinationPort, packet.Protocol, out bool fromA);
        var payload = packet.Payload(frame);
        if (packet.Protocol == (byte)IpProtocol.Tcp)
        {
            OnTcp(in key, in packet, payload, fromA, timeNs, frameNumber, interfaceId);
        }
        else
        {
            OnUdp(in key, in packet, payload, fromA, timeNs, frameNumber, interfaceId);
        }
    }

    /// <summary>Reports every flow still open, then ends the UDP dissectors.</summary>
    public void Finish()
    {
        foreach (var connection in _tcp.SortedFlows(CompareFlows))
        {
            EndTcp(connection);
        }

        foreach (var flow in _udp.SortedFlows(CompareFlows))
        {
            EndUdp(flow);
        }

        long end = _nowNs == long.MinValue ? 0 : _nowNs;
        foreach (var dissector in _context.Registry.UdpDissectors)
        {
            try
            {
                dissector.OnEnd(end);
            }
            catch (Exception e)
            {
                _context.ReportException(e, 0, dissector.Protocol, dissector.Protocol);
            }
        }
    }

    private static int CompareFlows(FlowState x, FlowState y)
    {
        int c = x.FirstTimeNs.CompareTo(y.FirstTimeNs);
        if (c == 0)
        {
            c = x.FirstFrame.CompareTo(y.FirstFrame);
        }

        return c != 0 ? c : x.Key.CompareTo(in y.Key);
    }

    private void OnTcp(in FlowKey key, in DecodedPacket packet, ReadOnlySpan<byte> payload, bool fromA, long timeNs, long frame, int interfaceId)
    {
        if (_tcp.TryGet(in key, out var connection) && connection.IsNewConnection(in packet, fromA))
        {
            EndTcp(connection);
            connection = null;
        }

        if (connection is null)
        {
            connection = _tcp.Add(in key);
            connection.Start(in key, in packet, fromA, timeNs, frame, _context.File);
        }

        bool closed = connection.OnSegment(_context, in packet, payload, fromA, timeNs, frame, interfaceId);
        (closed ? _tcpClosed : _tcpOpen).Touch(connection);
    }

    private void OnUdp(in FlowKey key, in DecodedPacket packet, ReadOnlySpan<byte> payload, bool fromA, long timeNs, long frame, int interfaceId)
    {
        if (!_udp.TryGet(in key, out var flow))
        {
            flow = _udp.Add(in key);
            flow.Start(in key, fromA, timeNs, frame, _context.File);
        }

        flow.OnDatagram(_context, in packet, payload, fromA, timeNs, frame, interfaceId);
        _udpIdle.Touch(flow);
    }

    private void Tick()
    {
        _nextTickNs = _nowNs + _tickNs;
        while (_tcpClosed.TakeExpired(_nowNs) is TcpConversation closed)
        {
            EndTcp(closed);
        }

        while (_tcpOpen.TakeExpired(_nowNs) is TcpConversation idle)
        {
            EndTcp(idle);
        }

        while (_udpIdle.TakeExpired(_nowNs) is UdpConversation flow)
        {
            EndUdp(flow);
        }

        foreach (var dissector in _context.Registry.UdpDissectors)
        {
            try
            {
                dissector.OnTime(_nowNs);
            }
            catch (Exception e)
            {
                _context.ReportException(e, 0, dissector.Protocol, dissector.Protocol);
            }
        }
    }

    private void EndTcp(TcpConversation connection)
    {
        connection.List?.Remove(connection);
        _context.Sink.OnTcpConnection(connection.Finish(_context));
        _tcp.Remove(connection);
        connection.Reset();
    }

    private void EndUdp(UdpConversation flow)
    {
        flow.List?.Remove(flow);
        _context.Sink.OnUdpFlow(flow.Finish());
        _udp.Remove(flow);
        flow.Reset();
    }
}
