using KubeTriage.Capture.Files;
using KubeTriage.Capture.Flows;
using KubeTriage.Capture.Packets;
using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture;

/// <summary>
/// The per-packet path shared by file and live capture: decode the frame, tell the sink about the
/// packet, and hand it to the flow tracker. One <see cref="DecodedPacket"/> is reused for every frame,
/// so nothing here allocates per packet.
/// </summary>
internal sealed class PacketPipeline
{
    private readonly ICaptureSink _sink;
    private readonly FlowContext _context;
    private readonly FlowTracker _flows;
    private readonly int _maxDiagnostics;
    private readonly FragmentReassembler _fragments = new();
    private readonly ArpTracker _arp = new();
    private DecodedPacket _packet;
    private DecodedPacket _assembled;

    public PacketPipeline(ICaptureSink sink, IProtocolRegistry registry, CaptureOptions options)
    {
        _sink = sink;
        _context = new FlowContext(sink, registry, options);
        _flows = new FlowTracker(_context);
        Interfaces = new InterfaceTable(sink, _context);
        _maxDiagnostics = options.MaxDiagnosticsPerReason;
    }

    public InterfaceTable Interfaces { get; }

    public FlowTracker Flows => _flows;

    public void Process(int slot, LinkType linkType, long timeNs, long frame, ReadOnlySpan<byte> data, DecodeStats stats)
    {
        stats.Packets++;
        stats.Bytes += data.Length;
        if (timeNs < stats.FirstTimeNs)
        {
            stats.FirstTimeNs = timeNs;
        }

        if (timeNs > stats.LastTimeNs)
        {
            stats.LastTimeNs = timeNs;
        }

        var status = PacketDecoder.Decode(linkType, data, ref _packet, out var error, out int errorOffset);
        if (status != PacketStatus.Decoded)
        {
            if (status == PacketStatus.NotIp)
            {
                stats.NotIp++;
                if (PacketDecoder.TryReadArp(linkType, data, out var arp, out int linkInterfaceIndex))
                {
                    _arp.OnArp(in arp, Interfaces.Resolve(slot, linkInterfaceIndex), timeNs, frame, stats.Path);
                }
            }
            else if (stats.CountMalformed(error, _maxDiagnostics) && error != WireError.PacketUnsupportedLinkType)
            {
                ReportMalformed(stats.Path, frame, data, error, errorOffset);
            }

            return;
        }

        if (_packet.PayloadCut)
        {
            stats.CutBySnapLength++;
        }

        if (_packet.Tunnel != TunnelKind.None)
        {
            stats.Tunnelled[(int)_packet.Tunnel]++;
        }

        int interfaceId = Interfaces.Resolve(slot, _packet.LinkInterfaceIndex);
        var meta = new PacketMeta
        {
            TimeNs = timeNs,
            Frame = frame,
            InterfaceId = interfaceId,
            Source = _packet.Source,
            Destination = _packet.Destination,
            SourcePort = _packet.SourcePort,
            DestinationPort = _packet.DestinationPort,
            Protocol = (IpProtocol)_packet.Protocol,
            TcpFlags = _packet.Flags,
            IpLength = _packet.IpCapturedLength,
            PayloadLength = _packet.PayloadLength,
            IsFragment = _packet.IsFragment,
            IcmpType = _packet.IcmpType,
            IcmpCode = _packet.IcmpCode,
            IcmpMtu = _packet.IcmpMtu,
            EmbeddedProtocol = _packet.HasEmbedded ? (IpProtocol)_packet.EmbeddedProtocol : null,
            EmbeddedSource = new WireEndpoint(_packet.EmbeddedSource, _packet.EmbeddedSourcePort),
            EmbeddedDestination = new WireEndpoint(_packet.EmbeddedDestination, _packet.EmbeddedDestinationPort),
            TcpSequence = _packet.Sequence,
            TcpAcknowledgment = _packet.Acknowledgment,
            TcpWindow = _packet.Window,
        };
        _sink.OnPacket(in meta);
        if (!ReferenceEquals(_context.File, stats.Path))
        {
            _context.File = stats.Path;
        }

        if (_packet.IsFragment)
        {
            Reassemble(data, timeNs, frame, interfaceId, stats);
            return;
        }

        _flows.OnPacket(in _packet, data, timeNs, frame, interfaceId);
    }

    /// <summary>Reports every remaining flow and ends the dissectors.</summary>
    public void Finish()
    {
        _flows.Finish();
        _arp.Finish(_sink);
    }

    /// <summary>Fragments reach the flows only as a whole datagram, once the last piece is in.</summary>
    private void Reassemble(ReadOnlySpan<byte> data, long timeNs, long frame, int interfaceId, DecodeStats stats)
    {
        if (_packet.FragmentProtocol is not ((byte)IpProtocol.Udp or (byte)IpProtocol.Tcp))
        {
            return;
        }

        var buffer = _fragments.Add(in _packet, data, timeNs, out int length);
        if (buffer is null)
        {
            return;
        }

        var datagram = buffer.AsSpan(0, length);
        _assembled = _packet;
        _assembled.IsFragment = false;
        _assembled.IsFirstFragment = true;
        _assembled.Protocol = _packet.FragmentProtocol;
        var result = _assembled.Protocol == (byte)IpProtocol.Tcp
            ? TcpDecoder.TryRead(datagram, ref _assembled)
            : UdpDecoder.TryRead(datagram, ref _assembled, out _);
        if (result.IsParsed)
        {
            _assembled.HasTransport = true;
            _assembled.PayloadOffset = result.Consumed;
            _assembled.PayloadLength = length - result.Consumed;
            _assembled.PayloadCaptured = _assembled.PayloadLength;
            if (PacketDecoder.TryDecapsulateReassembled(datagram, ref _assembled))
            {
                // An overlay packet the underlay fragmented (its MTU too small for the inner packet plus the tunnel header).
                stats.Tunnelled[(int)_assembled.Tunnel]++;
                if (_assembled.IsFragment)
                {
                    FragmentReassembler.Release(buffer);
                    return;
                }
            }

            _flows.OnPacket(in _assembled, datagram, timeNs, frame, interfaceId);
        }

        FragmentReassembler.Release(buffer);
    }

    private void ReportMalformed(string path, long frame, ReadOnlySpan<byte> data, WireError error, int offset)
    {
        int start = Math.Clamp(offset, 0, data.Length);
        _sink.OnDiagnostic(new WireDiagnostic(error, path, frame, null, offset, WireDiagnostic.HexSnippet(data[start..]),
            $"frame of {data.Length} bytes could not be decoded"));
    }
}
