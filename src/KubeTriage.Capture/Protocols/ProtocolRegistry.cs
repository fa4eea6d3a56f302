using KubeTriage.Capture.Flows;
using KubeTriage.Capture.Protocols.Dns;
using KubeTriage.Capture.Protocols.Http;
using KubeTriage.Capture.Protocols.Http2;
using KubeTriage.Capture.Protocols.MySql;
using KubeTriage.Capture.Protocols.Tls;

namespace KubeTriage.Capture.Protocols;

/// <summary>
/// Chooses the application dissector of a flow by the shape of its first bytes, then by port.
/// <list type="bullet">
/// <item>UDP: either port 53 → the one shared <see cref="DnsUdpDissector"/>.</item>
/// <item>TCP, either port 53 → DNS over TCP.</item>
/// <item>TCP starting with HTTP/2's client preface → HTTP/2 (h2c, gRPC); a connection the capture joined late whose
/// first segment starts with HTTP/2 frames → HTTP/2 mid-stream.</item>
/// </list>
/// The engine offers the payload it detected on to the new dissector's <c>OnData</c> as well.
/// One registry serves one capture run; it is not thread-safe.
/// </summary>
public sealed class ProtocolRegistry : IProtocolRegistry
{
    public const ushort DnsPort = 53;
    public const ushort MySqlPort = 3306;
    public const ushort MySqlXPort = 33060;
    public const ushort HttpPort = 80;
    public const ushort HttpAlternatePort = 8080;

    private readonly ProtocolOptions _options;
    private readonly TextCache _cache = new();
    private readonly List<IUdpDissector> _udp = [];
    private readonly DnsUdpDissector _dns;

    public ProtocolRegistry(ICaptureSink sink, ProtocolOptions? options = null)
    {
        _options = options ?? ProtocolOptions.Default;
        _dns = new DnsUdpDissector(sink, _options, _cache);
    }

    /// <summary>The shared DNS-over-UDP dissector, with its counters.</summary>
    public DnsUdpDissector Dns => _dns;

    public IEnumerable<IUdpDissector> UdpDissectors => _udp;

    public ITcpStreamDissector? CreateTcp(TcpStreamContext context, ReadOnlySpan<byte> firstPayload, bool fromClient)
    {
        if (context.Client.Port == DnsPort || context.Server.Port == DnsPort)
        {
            return new DnsTcpDissector(context, _options, _cache);
        }

        if (TlsShape.LooksLikeClientHello(firstPayload) && (fromClient || context.MidStream))
        {
            return new TlsStreamDissector(context, _cache, swapRoles: !fromClient);
        }

        if (Http2Shape.LooksLikePreface(firstPayload) && (fromClient || context.MidStream))
        {
            return new Http2StreamDissector(context, _options, _cache, swapRoles: !fromClient);
        }

        if (context.MidStream && Http2Shape.LooksLikeFrames(firstPayload))
        {
            // A long-lived HTTP/2 connection (gRPC) the capture joined late: its frames, without the preface.
            return new Http2StreamDissector(context, _options, _cache, midStream: true);
        }

        if (HttpShape.LooksLikeRequest(firstPayload) && (fromClient || context.MidStream))
        {
            return new HttpStreamDissector(context, _options, _cache, swapRoles: !fromClient);
        }

        if (!fromClient && HttpShape.LooksLikeResponse(firstPayload))
        {
            return new HttpStreamDissector(context, _options, _cache);
        }

        if (!fromClient && MySqlShape.LooksLikeGreeting(firstPayload))
        {
            return new MySqlStreamDissector(context, _options, _cache);
        }

        if ((fromClient || context.MidStream) && MySqlShape.LooksLikeCommand(firstPayload))
        {
            // Mid-stream the engine takes the higher port for the client; a command says who really is.
            return new MySqlStreamDissector(context, _options, _cache, swapRoles: !fromClient);
        }

        // By port alone the first bytes were no message start (a refusal aside): wait for one.
        if (IsPort(context, MySqlPort) || IsPort(context, MySqlXPort))
        {
            var refusal = !fromClient && !context.MidStream && MySqlShape.LooksLikeRefusal(firstPayload);
            return new MySqlStreamDissector(context, _options, _cache, synced: refusal);
        }

        if (IsPort(context, HttpPort) || IsPort(context, HttpAlternatePort))
        {
            return new HttpStreamDissector(context, _options, _cache, synced: false);
        }

        return null;
    }

    private static bool IsPort(TcpStreamContext context, ushort port) => context.Client.Port == port || context.Server.Port == port;

    public IUdpDissector? ForUdp(ushort sourcePort, ushort destinationPort, ReadOnlySpan<byte> payload)
    {
        if (sourcePort != DnsPort && destinationPort != DnsPort)
        {
            return null;
        }

        if (_udp.Count == 0)
        {
            _udp.Add(_dns);
        }

        return _dns;
    }
}
