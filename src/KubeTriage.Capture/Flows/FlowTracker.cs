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
    private readonly List<TcpConversation> _expiredTcp = [];
    private readonly List<UdpConversation> _expiredUdp = [];
    private readonly ExpiryQueue<TcpConversation> _tcpOpen;
    private readonly ExpiryQueue<TcpConversation> _tcpClosed;
    private readonly ExpiryQueue<UdpConversation> _udpIdle;
    private readonly long _tickNs;
    private readonly long _sweepNs;
    private long _nowNs = long.MinValue;
    private long _nextTickNs = long.MinValue;
    private long _nextSweepNs = long.MinValue;

    public FlowTracker(FlowContext context)
    {
        _context = context;
        var options = context.Options;
        _tcpOpen = new ExpiryQueue<TcpConversation>(options.TcpIdleTimeout.Ticks * 100, forClosed: false);
        _tcpClosed = new ExpiryQueue<TcpConversation>(options.TcpClosedTimeout.Ticks * 100, forClosed: true);
        _udpIdle = new ExpiryQueue<UdpConversation>(options.UdpIdleTimeout.Ticks * 100, forClosed: false);
        _tickNs = Math.Max(1, options.TickInterval.Ticks * 100);
        _sweepNs = Math.Max(1, options.ExpirySweepInterval.Ticks * 100);
    }

    /// <summary>Live flows: what memory follows.</summary>
    public int LiveFlows => _tcp.Count + _udp.Count;

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
        foreach (var connection in _tcp.SortedFlows())
        {
            EndTcp(connection);
        }

        foreach (var flow in _udp.SortedFlows())
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
            _tcpOpen.Add(connection);
        }

        bool wasClosed = connection.Closed;
        if (connection.OnSegment(_context, in packet, payload, fromA, timeNs, frame, interfaceId) && !wasClosed)
        {
            _tcpClosed.Add(connection);
        }
    }

    private void OnUdp(in FlowKey key, in DecodedPacket packet, ReadOnlySpan<byte> payload, bool fromA, long timeNs, long frame, int interfaceId)
    {
        if (!_udp.TryGet(in key, out var flow))
        {
            flow = _udp.Add(in key);
            flow.Start(in key, fromA, timeNs, frame, _context.File);
            _udpIdle.Add(flow);
        }

        flow.OnDatagram(_context, in packet, payload, fromA, timeNs, frame, interfaceId);
    }

    private void Tick()
    {
        _nextTickNs = _nowNs + _tickNs;
        if (_nowNs >= _nextSweepNs)
        {
            _nextSweepNs = _nowNs + _sweepNs;
            Sweep();
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

    /// <summary>
    /// Reports and forgets every flow idle past its timeout, in the expiry queues' order (closed TCP first,
    /// then by last activity): deterministic for a given input, without sorting.
    /// </summary>
    private void Sweep()
    {
        _tcpClosed.Collect(_nowNs, _expiredTcp);
        _tcpOpen.Collect(_nowNs, _expiredTcp);
        foreach (var connection in _expiredTcp)
        {
            EndTcp(connection);
        }

        _expiredTcp.Clear();
        _udpIdle.Collect(_nowNs, _expiredUdp);
        foreach (var flow in _expiredUdp)
        {
            EndUdp(flow);
        }

        _expiredUdp.Clear();
    }

    private void EndTcp(TcpConversation connection)
    {
        _context.Sink.OnTcpConnection(connection.Finish(_context));
        _tcp.Remove(connection);
        connection.Reset();
    }

    private void EndUdp(UdpConversation flow)
    {
        _context.Sink.OnUdpFlow(flow.Finish());
        _udp.Remove(flow);
        flow.Reset();
    }
}
