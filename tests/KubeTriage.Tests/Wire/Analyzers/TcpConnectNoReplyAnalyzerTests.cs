using KubeTriage.Capture.Flows;
using KubeTriage.Findings;
using KubeTriage.Wire.Analyzers;
using static KubeTriage.Tests.Wire.Synthetic;

namespace KubeTriage.Tests.Wire.Analyzers;

public class TcpConnectNoReplyAnalyzerTests
{
    private const string Pod = AnalyzerCase.Pod;

    public static TheoryData<AnalyzerCase> Cases => new()
    {
        new("healthy connects raise nothing", s =>
        {
            s.OnTcpConnection(Connect(Pod, 40001, "198.18.2.20", 3306, TcpOutcome.Established, 0));
        }, []),
        new("SYNs without SYN-ACK to the database", s =>
        {
            s.OnTcpConnection(Connect(Pod, 40001, "198.18.2.20", 3306, TcpOutcome.NoReply, 0, syns: 6));
            s.OnTcpConnection(Connect(Pod, 40002, "198.18.2.20", 3306, TcpOutcome.NoReply, 100, syns: 6));
        }, ["critical 198.18.2.20:3306"]),
        new("one finding per peer and port", s =>
        {
            s.OnTcpConnection(Connect(Pod, 40001, "198.18.2.20", 3306, TcpOutcome.NoReply, 0, syns: 3));
            s.OnTcpConnection(Connect(Pod, 40002, "198.18.2.20", 33060, TcpOutcome.NoReply, 0, syns: 3));
            s.OnTcpConnection(Connect(Pod, 40003, "203.0.113.94", 80, TcpOutcome.NoReply, 0, syns: 3));
        }, ["critical 198.18.2.20:3306", "critical 198.18.2.20:33060", "critical 203.0.113.94:80"]),
        new("someone else's failed connects are not the pod's", s =>
        {
            s.OnTcpConnection(Connect("198.18.0.10", 40001, "198.18.2.20", 3306, TcpOutcome.NoReply, 0, syns: 3));
        }, []),
        new("a refused connect is not a silent one", s =>
        {
            s.OnTcpConnection(Connect(Pod, 40001, "198.18.2.20", 3306, TcpOutcome.Refused, 0));
        }, []),
        new("the peer's DNS name is part of the subject", s =>
        {
            s.OnDns(Dns(Pod, "198.18.2.10", "db.example.com", 0, answers: "198.18.2.20"));
            s.OnTcpConnection(Connect(Pod, 40001, "198.18.2.20", 3306, TcpOutcome.NoReply, 10, syns: 3));
        }, ["critical 198.18.2.20:3306 (db.example.com)"]),
        new("a lone SYN in the capture's last second is not judged", s =>
        {
            Start(s, "eth0");
            Packets(s, 0, Pod, "198.18.2.20", 1, atMs: 0);
            Packets(s, 0, Pod, "198.18.2.20", 1, atMs: 5000);
            s.OnTcpConnection(Connect(Pod, 40001, "198.18.2.20", 3306, TcpOutcome.NoReply, 4800));
        }, []),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void RaisesOneCriticalFindingPerSilentPeerPort(AnalyzerCase scenario)
    {
        // Given
        var context = scenario.Context();

        // When
        var findings = AnalyzerCase.Run(new TcpConnectNoReplyAnalyzer(), context);

        // Then
        Assert.Equal(scenario.Expected, AnalyzerCase.Lines(findings));
        Assert.All(findings, f => Assert.Equal(FindingIds.TcpConnectNoReply, f.Id));
    }

    [Fact]
    public void EvidenceCitesSynTimesFramesAndInterfacesAndTheFixNamesCommands()
    {
        // Given
        var scenario = new AnalyzerCase("db", s =>
        {
            Start(s, "eth0");
            s.OnTcpConnection(Connect(Pod, 40001, "198.18.2.20", 3306, TcpOutcome.NoReply, 0, syns: 6, frame: 17));
        }, []);

        // When
        var finding = Assert.Single(AnalyzerCase.Run(new TcpConnectNoReplyAnalyzer(), scenario.Context()));

        // Then
        Assert.Equal("SYNs to 198.18.2.20:3306 got no answer (1 connection, 6 SYNs)", finding.Title);
        Assert.Equal(
        [
            "1 connection from 198.18.1.20, 6 SYNs between 22:13:20.000 and 22:13:25.000 (5.00 s), no SYN-ACK",
            "port 40001: 6 SYNs, first at 22:13:20.000 (frame 17 in node.pcapng), last +5.00 s",
            "SYNs seen on eth0 (the only interface captured)",
        ], finding.Evidence);
        Assert.Contains("ip route get 198.18.2.20 from 198.18.1.20", finding.Remediation);
        Assert.Contains("tcpdump -ni any host 198.18.1.20 and port 3306", finding.Remediation);
        Assert.Empty(finding.CausedBy);
    }

    [Theory]
    [InlineData(2_000, true)]
    [InlineData(60_000, false)]
    public void ANextHopNobodyAnswersArpForWhileTheSynsGoUnansweredIsTheirCause(double arpAtMs, bool linked)
    {
        // Given: six SYNs from 0 to 5 s, and three unanswered ARP requests for the node's gateway at arpAtMs
        var scenario = new AnalyzerCase("arp", s =>
        {
            Start(s, "eth1");
            s.OnTcpConnection(Connect(Pod, 40001, "198.18.2.20", 3306, TcpOutcome.NoReply, 0, syns: 6));
            s.OnArp(new ArpResolution(0, Ip("198.18.1.1"), Ip("198.18.1.10"), 3, 0, At(arpAtMs), 9, At(arpAtMs + 2_000), Synthetic.File));
        }, []);

        // When
        var finding = Assert.Single(AnalyzerCase.Run(new TcpConnectNoReplyAnalyzer(), scenario.Context()));

        // Then
        Assert.Equal(linked, finding.CausedBy.Contains(FindingIds.NetArpUnanswered));
        Assert.Equal(linked, finding.Evidence.Any(l => l.StartsWith("meanwhile nothing answered ARP for 198.18.1.1 on eth1 (3 requests, net.arp-unanswered)", StringComparison.Ordinal)));
    }

    [Fact]
    public void SynsLeavingThroughTheWrongNicAreCausedByIt()
    {
        // Given: the SYNs leave via eth0 without replies; eth1 carries the pod's other traffic both ways
        var scenario = new AnalyzerCase("wrong nic", s =>
        {
            Start(s, "eth0", "eth1");
            Packets(s, 0, Pod, "198.18.2.20", 6);
            Packets(s, 1, Pod, "198.18.2.11", 2);
            Packets(s, 1, "198.18.2.11", Pod, 2);
            s.OnTcpConnection(Connect(Pod, 40001, "198.18.2.20", 3306, TcpOutcome.NoReply, 0, syns: 6, interfaces: [0]));
        }, []);

        // When
        var finding = Assert.Single(AnalyzerCase.Run(new TcpConnectNoReplyAnalyzer(), scenario.Context()));

        // Then
        Assert.Equal([FindingIds.NodePodEgressWrongInterface], finding.CausedBy);
        Assert.Contains(finding.Evidence, l => l.StartsWith("SYNs seen on eth0; the pod subnet is carried by eth1", StringComparison.Ordinal));
        Assert.Contains("left through eth0, not through eth1", finding.Remediation);
    }
}
