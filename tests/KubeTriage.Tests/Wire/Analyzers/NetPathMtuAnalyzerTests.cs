using KubeTriage.Capture;
using KubeTriage.Capture.Flows;
using KubeTriage.Capture.Packets;
using KubeTriage.Findings;
using KubeTriage.Wire.Analyzers;
using static KubeTriage.Tests.Wire.Synthetic;

namespace KubeTriage.Tests.Wire.Analyzers;

public class NetPathMtuAnalyzerTests
{
    private const string Pod = AnalyzerCase.Pod;
    private const string Router = "198.18.1.1";
    private const string Storage = "198.19.249.132";

    public static TheoryData<AnalyzerCase> Cases => new()
    {
        new("no ICMP, no finding", s => s.OnTcpConnection(Connect(Pod, 40001, Storage, 443, TcpOutcome.Established, 0)), []),
        new("port unreachable is not about size", s => Icmp(s, Router, Pod, 40001, Storage, 53, type: 3, code: 3, mtu: 0), []),
        new("fragmentation needed about the pod's packets", s => Icmp(s, Router, Pod, 40001, Storage, 443, type: 3, code: 4, mtu: 1400), ["warning 198.19.249.132"]),
        new("fragmentation needed about packets to the pod", s => Icmp(s, Router, Storage, 443, Pod, 40001, type: 3, code: 4, mtu: 1400), ["warning 198.19.249.132"]),
        new("about two other hosts", s => Icmp(s, Router, "198.18.0.50", 40001, Storage, 443, type: 3, code: 4, mtu: 1400), []),
        new("a black hole from the pod", s => s.OnTcpConnection(Stalled(Pod, 40001, Storage, 443, Hole)), ["warning 198.19.249.132"]),
        new("a black hole from the pod as server", s => s.OnTcpConnection(Stalled(Storage, 40001, Pod, 8080, Hole, byClient: false)), ["warning 198.19.249.132"]),
        new("a black hole the router also reported: one finding", s =>
        {
            Icmp(s, Router, Pod, 40001, Storage, 443, type: 3, code: 4, mtu: 1400);
            s.OnTcpConnection(Stalled(Pod, 40001, Storage, 443, Hole));
        }, ["warning 198.19.249.132"]),
        new("a segment acknowledged in the end as it was", s => s.OnTcpConnection(Stalled(Pod, 40001, Storage, 443, Hole with { Acknowledged = true })), []),
        new("a segment no larger than one that passed", s => s.OnTcpConnection(Stalled(Pod, 40001, Storage, 443, Hole with { LargestAcknowledgedBefore = 1448 })), []),
        new("a stall on a connection joined mid-stream", s => s.OnTcpConnection(Stalled(Pod, 40001, Storage, 443, Hole) with { Outcome = TcpOutcome.MidStream }), []),
    };

    /// <summary>A 1448-byte segment sent again five times from 10 ms on and never acknowledged, after a 300-byte one passed.</summary>
    private static readonly TcpStalledSegment Hole = new()
    {
        Sequence = 1301, Resends = 5, Length = 1448, LastLength = 1448, FirstResendNs = At(10), FirstResendFrame = 12, LastResendNs = At(3010),
        LargestAcknowledgedBefore = 300,
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void RaisesOneFindingPerPeerAndDirection(AnalyzerCase scenario)
    {
        // When
        var findings = AnalyzerCase.Run(new NetPathMtuAnalyzer(), scenario.Context());

        // Then
        Assert.Equal(scenario.Expected, AnalyzerCase.Lines(findings));
        Assert.All(findings, f => Assert.Equal(FindingIds.NetPathMtu, f.Id));
    }

    [Fact]
    public void EvidenceNamesTheRouterTheMtuAndTheFrameAndRetransmissionsPointAtIt()
    {
        // Given: two errors from the router, the smaller MTU last, and the pod's data to the peer sent again
        var scenario = new AnalyzerCase("mtu", s =>
        {
            Icmp(s, Router, Pod, 40001, Storage, 443, type: 3, code: 4, mtu: 1450);
            Icmp(s, Router, Pod, 40001, Storage, 443, type: 3, code: 4, mtu: 1400);
            s.OnTcpConnection(Connect(Pod, 40001, Storage, 443, TcpOutcome.Established, 0) with
            {
                DataSegmentsToServer = 100, DataRetransmissionsToServer = 20, FirstDataRetransmissionNs = At(10), LastDataRetransmissionNs = At(20),
            });
        }, []);
        var context = scenario.Context();

        // When
        var finding = Assert.Single(AnalyzerCase.Run(new NetPathMtuAnalyzer(), context));
        var loss = Assert.Single(AnalyzerCase.Run(new TcpRetransmissionsAnalyzer(), context));

        // Then
        Assert.Equal("Packets from the pod to 198.19.249.132 are larger than the path allows (MTU 1400)", finding.Title);
        Assert.StartsWith("198.18.1.1 answered 2 packets 198.18.1.20 → 198.19.249.132:443 (tcp) with \"fragmentation needed\", next-hop MTU 1400; first at", finding.Evidence[0], StringComparison.Ordinal);
        Assert.Contains("ping -M do -s 1372 -c 3 198.19.249.132", finding.Remediation, StringComparison.Ordinal);
        Assert.Equal([FindingIds.NetPathMtu], loss.CausedBy);
    }

    [Fact]
    public void ABlackHoleNamesTheStalledSegmentWhatPassedAndTheMissingIcmpAndRetransmissionsPointAtIt()
    {
        // Given: one of two connections from the pod to the peer stalled on a 1448-byte segment; no ICMP came back
        var scenario = new AnalyzerCase("black hole", s =>
        {
            s.OnTcpConnection(Connect(Pod, 40000, Storage, 443, TcpOutcome.Established, 0));
            s.OnTcpConnection(Stalled(Pod, 40001, Storage, 443, Hole) with { DataSegmentsToServer = 40, DataRetransmissionsToServer = 12 });
        }, []);
        var context = scenario.Context();

        // When
        var finding = Assert.Single(AnalyzerCase.Run(new NetPathMtuAnalyzer(), context));
        var loss = Assert.Single(AnalyzerCase.Run(new TcpRetransmissionsAnalyzer(), context));

        // Then
        Assert.Equal("1448-byte segments from the pod to 198.19.249.132 never get through while smaller ones do: a path-MTU black hole", finding.Title);
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Matches(@"^198\.18\.1\.20:40001 → 198\.19\.249\.132:443: a 1448-byte segment sent again 5 times from \S+ \(frame 12 in \S+\) to \S+, never acknowledged; the largest segment acknowledged before was 300 bytes$", finding.Evidence[0]);
        Assert.Equal("1 of 2 established connections from the pod to 198.19.249.132 stalled this way", finding.Evidence[1]);
        Assert.StartsWith("no ICMP \"fragmentation needed\"", finding.Evidence[2], StringComparison.Ordinal);
        Assert.Contains("segments of 300 bytes passed, 1448 did not", finding.Remediation, StringComparison.Ordinal);
        Assert.Contains("net.ipv4.tcp_mtu_probing=1", finding.Remediation, StringComparison.Ordinal);
        Assert.Contains("tracepath -n 198.19.249.132", finding.Remediation, StringComparison.Ordinal);
        Assert.Equal([FindingIds.NetPathMtu], loss.CausedBy);
        Assert.Contains(loss.Evidence, l => l.StartsWith("1 connection stalled on a large segment that never got through", StringComparison.Ordinal));
    }

    [Fact]
    public void ABlackHoleTheRouterAlsoReportedIsALineOfTheIcmpFinding()
    {
        // Given
        var scenario = new AnalyzerCase("both", s =>
        {
            Icmp(s, Router, Pod, 40001, Storage, 443, type: 3, code: 4, mtu: 1400);
            s.OnTcpConnection(Stalled(Pod, 40001, Storage, 443, Hole));
        }, []);

        // When
        var finding = Assert.Single(AnalyzerCase.Run(new NetPathMtuAnalyzer(), scenario.Context()));

        // Then
        Assert.EndsWith("(MTU 1400)", finding.Title, StringComparison.Ordinal);
        Assert.Contains(finding.Evidence, l => l.StartsWith("1 connection stalled on a large segment sent again and again: 198.18.1.20:40001 → 198.19.249.132:443: a 1448-byte segment", StringComparison.Ordinal));
    }

    /// <summary>An established connection on which the client (or the server) sent <paramref name="stall"/>.</summary>
    private static TcpConnection Stalled(string client, ushort clientPort, string server, ushort port, TcpStalledSegment stall, bool byClient = true) =>
        Connect(client, clientPort, server, port, TcpOutcome.Established, 0, durationMs: 4000) with
        {
            DataSegmentsToServer = byClient ? 8 : 2,
            DataSegmentsToClient = byClient ? 2 : 8,
            DataRetransmissionsToServer = byClient ? stall.Resends : 0,
            DataRetransmissionsToClient = byClient ? 0 : stall.Resends,
            FirstDataRetransmissionNs = stall.FirstResendNs,
            FirstDataRetransmissionFrame = stall.FirstResendFrame,
            LastDataRetransmissionNs = stall.LastResendNs,
            StalledToServer = byClient ? stall : null,
            StalledToClient = byClient ? null : stall,
        };

    private static void Icmp(ICaptureSink sink, string reporter, string source, ushort sourcePort, string destination, ushort port, byte type, byte code, uint mtu)
    {
        var packet = new PacketMeta
        {
            TimeNs = At(5), Frame = 7, Source = Ip(reporter), Destination = Ip(source), Protocol = IpProtocol.Icmp, IcmpType = type, IcmpCode = code,
            IcmpMtu = mtu, EmbeddedProtocol = IpProtocol.Tcp, EmbeddedSource = Ep(source, sourcePort), EmbeddedDestination = Ep(destination, port), IpLength = 576,
        };
        sink.OnPacket(in packet);
    }
}
