using KubeTriage.Capture;
using KubeTriage.Capture.Files;
using KubeTriage.Capture.Flows;
using KubeTriage.Capture.Packets;
using KubeTriage.Capture.Primitives;
using KubeTriage.Capture.Protocols.Dns;
using KubeTriage.Capture.Protocols.Http;
using KubeTriage.Capture.Protocols.MySql;
using KubeTriage.Capture.Protocols.Tls;

namespace KubeTriage.Tests.Wire;

/// <summary>
/// Builds the records the capture engine hands a sink, with plain defaults, so tests read like the
/// capture they describe. Times are offsets in milliseconds from <see cref="T0"/> (2023-11-14T22:13:20Z).
/// </summary>
internal static class Synthetic
{
    public const long T0 = 1_700_000_000_000_000_000;
    public const string File = "/captures/node.pcapng";

    public static long At(double ms) => T0 + (long)(ms * 1_000_000);

    public static long Ms(double ms) => (long)(ms * 1_000_000);

    public static NetAddress Ip(string text) => NetAddress.Parse(text);

    public static WireEndpoint Ep(string ip, ushort port) => new(NetAddress.Parse(ip), port);

    public static void Start(ICaptureSink sink, params string[] interfaces)
    {
        sink.OnFileStart(new CaptureFileInfo(File, CaptureFormat.PcapNg, LinkType.Ethernet));
        for (var i = 0; i < interfaces.Length; i++)
        {
            sink.OnInterface(new CaptureInterface(i, interfaces[i], File, LinkType.Ethernet));
        }
    }

    public static void End(ICaptureSink sink, long packets, double firstMs, double lastMs, params string[] problems) =>
        sink.OnFileEnd(new CaptureFileSummary(File, CaptureFormat.PcapNg, LinkType.Ethernet, packets, packets * 100, At(firstMs), At(lastMs), problems));

    public static void Packets(ICaptureSink sink, int iface, string source, string destination, int count, double atMs = 0,
        IpProtocol protocol = IpProtocol.Tcp, int bytes = 100)
    {
        for (var i = 0; i < count; i++)
        {
            var packet = new PacketMeta
            {
                TimeNs = At(atMs + i),
                Frame = i + 1,
                InterfaceId = iface,
                Source = Ip(source),
                Destination = Ip(destination),
                Protocol = protocol,
                IpLength = bytes,
            };
            sink.OnPacket(in packet);
        }
    }

    /// <summary>One TCP packet with flags and a payload length, as the engine would describe it.</summary>
    public static void Tcp(ICaptureSink sink, string source, ushort sourcePort, string destination, ushort destinationPort, double atMs,
        TcpFlags flags = TcpFlags.Ack, int payload = 0, int iface = 0)
    {
        var packet = new PacketMeta
        {
            TimeNs = At(atMs),
            InterfaceId = iface,
            Source = Ip(source),
            Destination = Ip(destination),
            SourcePort = sourcePort,
            DestinationPort = destinationPort,
            Protocol = IpProtocol.Tcp,
            TcpFlags = flags,
            IpLength = 40 + payload,
            PayloadLength = payload,
        };
        sink.OnPacket(in packet);
    }

    /// <summary>A request/response turn as the engine reports it: client's first data byte to server's last.</summary>
    public static void Turn(ICaptureSink sink, string client, ushort clientPort, string server, ushort serverPort, double startMs, double endMs) =>
        sink.OnTcpTurn(new TcpTurn(new WireEndpoint(Ip(client), clientPort), new WireEndpoint(Ip(server), serverPort), At(startMs), At(endMs)));

    public static TcpConnection Connect(string client, ushort clientPort, string server, ushort port, TcpOutcome outcome, double atMs,
        int syns = 1, double synIntervalMs = 1000, double rttMs = 1, double durationMs = 10, string? protocol = null,
        double serverWaitMs = 0, long frame = 1, int[]? interfaces = null)
    {
        var synTimes = Enumerable.Range(0, syns).Select(i => At(atMs + i * synIntervalMs)).ToList();
        var last = outcome switch
        {
            TcpOutcome.NoReply => synTimes[^1],
            TcpOutcome.Refused => synTimes[^1] + Ms(rttMs),
            _ => At(atMs + durationMs),
        };
        return new TcpConnection(
            Ep(client, clientPort), Ep(server, port), outcome, synTimes[0], last, frame, syns, synTimes,
            outcome == TcpOutcome.Established ? Ms(rttMs) : null,
            3, outcome == TcpOutcome.Established ? 3 : outcome == TcpOutcome.Refused ? 1 : 0, 100, 100, 0,
            outcome == TcpOutcome.Refused ? 1 : 0, outcome == TcpOutcome.Established, Ms(serverWaitMs), protocol, interfaces ?? [0])
        {
            File = File,
        };
    }

    /// <summary>
    /// One side's zero windows as the engine reports them: <paramref name="stalls"/> stalls, the longest
    /// <paramref name="longestMs"/> from <paramref name="startMs"/> (frame <paramref name="frame"/>), the others as long as
    /// <paramref name="otherMs"/> each.
    /// </summary>
    public static TcpZeroWindow ZeroWindow(double startMs, double longestMs, long frame = 1, int stalls = 1, double otherMs = 0,
        int segments = 0, int probes = 0, bool unresolved = false) => new()
    {
        Segments = segments > 0 ? segments : stalls * 2,
        Stalls = stalls,
        Probes = probes,
        StalledNs = Ms(longestMs) + (stalls - 1) * Ms(otherMs),
        LongestStallNs = Ms(longestMs),
        LongestStallStartNs = At(startMs),
        LongestStallFrame = frame,
        LongestStallUnresolved = unresolved,
        OpenAtEnd = unresolved,
    };

    public static DnsTransaction Dns(string client, string server, string name, double atMs, int? rcode = 0, double latencyMs = 2,
        ushort type = 1, long frame = 1, params string[] answers) =>
        new(At(atMs), Ep(client, 40000), Ep(server, 53), false, 1, name, type, rcode,
            answers.Select(a => new DnsAnswer(name, a.Contains(':') ? (ushort)28 : (ushort)1, 60, a)).ToList(),
            rcode is null ? null : At(atMs + latencyMs), 0, frame, File);

    /// <summary>
    /// A query the client sent again from the same port after <paramref name="resendAfterMs"/> (the first copy or its
    /// answer lost), answered <paramref name="afterResendMs"/> after the re-send.
    /// </summary>
    public static DnsTransaction DnsResent(string client, string server, string name, double atMs, double resendAfterMs = 5000,
        double afterResendMs = 1, ushort type = 1, long frame = 1, bool twin = false, ushort port = 40000) =>
        Dns(client, server, name, atMs, latencyMs: resendAfterMs + afterResendMs, type: type, frame: frame) with
        {
            Client = Ep(client, port),
            Retransmissions = 1,
            LastQueryTimeNs = At(atMs + resendAfterMs),
            ResponseFrame = frame + 2,
            SentWithTwin = twin,
        };

    /// <summary>
    /// The question asked again from port <paramref name="newPort"/> <paramref name="resendAfterMs"/> after an unanswered
    /// first query from port 40000: the answered transaction, and the first one as the engine reports it, without an answer.
    /// </summary>
    public static (DnsTransaction Answered, DnsTransaction Unanswered) DnsReasked(string client, string server, string name, double atMs,
        double resendAfterMs = 5000, double afterResendMs = 1, ushort type = 1, long frame = 1, ushort newPort = 40001)
    {
        var first = Dns(client, server, name, atMs, rcode: null, type: type, frame: frame);
        var answered = Dns(client, server, name, atMs + resendAfterMs, latencyMs: afterResendMs, type: type, frame: frame + 1) with
        {
            Client = Ep(client, newPort),
            Id = 2,
            ResponseFrame = frame + 2,
            Earlier = new DnsEarlierQuery(At(atMs), frame, File, Ep(client, 40000), 1, 1, 1, false),
        };
        return (answered, first);
    }

    public static MySqlTransaction Query(string client, string server, string query, double atMs, double latencyMs,
        MySqlOutcome outcome = MySqlOutcome.ResultSet, ushort? error = null, string? message = null, string command = "COM_QUERY", long frame = 1, ushort port = 3306) =>
        new(At(atMs), Ep(client, 50000), Ep(server, port), 3, command, query, At(atMs + latencyMs), outcome, error, message, frame, File);

    public static HttpTransaction Http(string client, string server, string host, string path, double atMs, double latencyMs, int status = 200, long frame = 1,
        ushort port = 80) =>
        new(At(atMs), Ep(client, 51000), Ep(server, port), "GET", host, path, status, 1000, At(atMs + latencyMs / 2), At(atMs + latencyMs), frame, File, frame + 2);

    /// <summary>A gRPC call over HTTP/2 that ended with <paramref name="grpcStatus"/> (in its trailers).</summary>
    public static HttpTransaction Grpc(string client, string server, string authority, string method, double atMs, double latencyMs, int grpcStatus,
        string? message = null, long frame = 1, ushort port = 50051, int stream = 1) =>
        new HttpTransaction(At(atMs), Ep(client, 51000), Ep(server, port), "POST", authority, method, 200, 100, At(atMs + latencyMs / 2), At(atMs + latencyMs), frame, File, frame + 2)
        {
            Version = HttpTransaction.Http2,
            Grpc = true,
            GrpcStatus = grpcStatus,
            GrpcMessage = message,
            StreamId = stream,
        };

    /// <summary>A request that got no response before the connection ended.</summary>
    public static HttpTransaction HttpUnanswered(string client, string server, string host, string path, double atMs, long frame = 1) =>
        new(At(atMs), Ep(client, 51000), Ep(server, 80), "GET", host, path, null, 0, null, null, frame, File);

    public static TlsTransaction Tls(string client, string server, string sni, double atMs) =>
        new(At(atMs), Ep(client, 52000), Ep(server, 443), sni, 0x0303, 1, File);
}
