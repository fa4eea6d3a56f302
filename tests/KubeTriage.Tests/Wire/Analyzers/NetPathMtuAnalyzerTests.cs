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
