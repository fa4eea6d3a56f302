using KubeTriage.Capture.Packets;
using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Flows;

/// <summary>
/// One UDP flow (5-tuple): counters each way, copies seen on a second interface, and the datagrams
/// handed to the protocol's dissector. The client is the side that sent first. Pooled and reused.
/// </summary>
internal sealed class UdpConversation : FlowState
{
    public bool ClientIsA;
    public string File = string.Empty;

    private long _packetsToServer;
    private long _packetsToClient;
    private long _bytesToServer;
    private long _bytesToClient;
    private int _copies;
    private CopyFilterBox? _copiesFromA;
    private CopyFilterBox? _copiesFromB;
    private InterfaceSet _interfaces;
    private IUdpDissector? _dissector;
    private int _asks;
    private bool _stopped;
    private string? _protocol;

    public WireEndpoint Client => ClientIsA ? Key.EndA : Key.EndB;

    public WireEndpoint Server => ClientIsA ? Key.EndB : Key.EndA;

    public void Start(in FlowKey key, bool fromA, long timeNs, long frame, string file)
    {
        Key = key;
        ClientIsA = fromA;
        FirstTimeNs = timeNs;
        LastTimeNs = timeNs;
        FirstFrame = frame;
        File = file;
    }

    public void OnDatagram(FlowContext context, in DecodedPacket packet, ReadOnlySpan<byte> payload, bool fromA, long timeNs, long frame, int interfaceId)
    {
        if (timeNs > LastTimeNs)
        {
            LastTimeNs = timeNs;
        }

        _interfaces.Add(interfaceId);
        ulong signature = ((ulong)packet.UdpChecksum << 32) | (uint)packet.PayloadLength;
        if (context.MayHaveCopies && (fromA ? _copiesFromA ??= new() : _copiesFromB ??= new()).Filter.IsCopy(signature, packet.IsFragment ? 1u : 0u, interfaceId, timeNs, context.DuplicateWindowNs))
        {
            _copies++;
            return;
        }

        bool toServer = fromA == ClientIsA;
        if (toServer)
        {
            _packetsToServer++;
            _bytesToServer += packet.PayloadLength;
        }
        else
        {
            _packetsToClient++;
            _bytesToClient += packet.PayloadLength;
        }

        // A datagram cut by the snap length or split into fragments is not a whole message.
        if (_stopped || !context.Dissecting || packet.PayloadCut || packet.IsFragment)
        {
            return;
        }

        Dissect(context, packet, payload, fromA, timeNs, frame);
    }

    public UdpFlow Finish() =>
        new(Client, Server, FirstTimeNs, LastTimeNs, _packetsToServer, _packetsToClient, _bytesToServer, _bytesToClient, _protocol, _interfaces.ToList())
        {
            DuplicatesOnOtherInterface = _copies,
            FirstFrame = FirstFrame,
            File = File,
        };

    public void Reset()
    {
        File = string.Empty;
        _packetsToServer = 0;
        _packetsToClient = 0;
        _bytesToServer = 0;
        _bytesToClient = 0;
        _copies = 0;
        _copiesFromA?.Filter.Clear();
        _copiesFromB?.Filter.Clear();
        _interfaces.Clear();
        _dissector = null;
        _asks = 0;
        _stopped = false;
        _protocol = null;
    }

    private void Dissect(FlowContext context, in DecodedPacket packet, ReadOnlySpan<byte> payload, bool fromA, long timeNs, long frame)
    {
        try
        {
            if (_dissector is null)
            {
                _dissector = context.Registry.ForUdp(packet.SourcePort, packet.DestinationPort, payload);
                if (_dissector is null)
                {
                    _stopped = ++_asks >= context.Options.MaxDissectorAttempts;
                    return;
                }

                _protocol = _dissector.Protocol;
            }

            var source = fromA ? Key.EndA : Key.EndB;
            var destination = fromA ? Key.EndB : Key.EndA;
            _dissector.OnDatagram(payload, source, destination, timeNs, frame, context.File);
        }
        catch (Exception e)
        {
            context.ReportException(e, frame, $"{Client} > {Server}", _protocol ?? "udp");
            _dissector = null;
            _stopped = true;
        }
    }

    /// <summary>A UDP flow's filter, allocated only when the run has several interfaces (most flows then see one datagram each way).</summary>
    private sealed class CopyFilterBox
    {
        public DuplicateFilter Filter;
    }
}
