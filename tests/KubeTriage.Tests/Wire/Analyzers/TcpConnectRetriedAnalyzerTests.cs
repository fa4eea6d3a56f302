using KubeTriage.Capture.Flows;
using KubeTriage.Findings;
using KubeTriage.Wire.Analyzers;
using static KubeTriage.Tests.Wire.Synthetic;

namespace KubeTriage.Tests.Wire.Analyzers;

public class TcpConnectRetriedAnalyzerTests
{
    private const string Pod = AnalyzerCase.Pod;
    private const string Database = "198.18.2.30";
    private const string Client = "198.18.0.50";

    public static TheoryData<AnalyzerCase> Cases => new()
    {
        new("one SYN each", s =>
        {
            s.OnTcpConnection(Connect(Pod, 40001, Database, 3306, TcpOutcome.Established, 0));
            s.OnTcpConnection(Connect(Pod, 40002, Database, 3306, TcpOutcome.Established, 100));
        }, []),
        new("one of two connects retried", s =>
        {
            s.OnTcpConnection(Connect(Pod, 40001, Database, 3306, TcpOutcome.Established, 0));
            s.OnTcpConnection(Retried(Pod, 40002, Database, 3306, 100, synAckMs: 1101));
        }, ["warning 198.18.2.30:3306"]),
        new("one of two hundred retried is below 1%", s =>
        {
            for (ushort i = 0; i < 199; i++)
            {
                s.OnTcpConnection(Connect(Pod, (ushort)(30000 + i), Database, 3306, TcpOutcome.Established, i));
            }

            s.OnTcpConnection(Retried(Pod, 40002, Database, 3306, 300, synAckMs: 1301));
        }, []),
        new("SYNs that were never answered are another finding", s =>
            s.OnTcpConnection(Connect(Pod, 40001, Database, 3306, TcpOutcome.NoReply, 0, syns: 3)), []),
        new("clients of the pod retried", s => s.OnTcpConnection(Retried(Client, 50000, Pod, 8080, 0, synAckMs: 1001)), ["warning 198.18.0.50 → the pod's port 8080"]),
        new("between two other hosts", s => s.OnTcpConnection(Retried(Client, 50000, Database, 3306, 0, synAckMs: 1001)), []),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void RaisesOneFindingPerPeerAndPort(AnalyzerCase scenario)
    {
        // When
        var findings = AnalyzerCase.Run(new TcpConnectRetriedAnalyzer(), scenario.Context());

        // Then
        Assert.Equal(scenario.Expected, AnalyzerCase.Lines(findings));
        Assert.All(findings, f => Assert.Equal(FindingIds.TcpConnectRetried, f.Id));
    }

    [Fact]
    public void EvidenceTellsALostSynFromASynAckThatDidNotReachThePod()
    {
        // Given: one connect whose first SYN went unanswered, one whose SYN-ACK came and the pod sent its SYN again anyway
        var scenario = new AnalyzerCase("both", s =>
        {
            s.OnTcpConnection(Retried(Pod, 40001, Database, 3306, 0, synAckMs: 1001));
            s.OnTcpConnection(Retried(Pod, 40002, Database, 3306, 2000, synAckMs: 2001));
        }, []);

        // When
        var finding = Assert.Single(AnalyzerCase.Run(new TcpConnectRetriedAnalyzer(), scenario.Context()));

        // Then
        Assert.Equal("2 of 2 connects from the pod to 198.18.2.30:3306 needed the SYN sent again, each waiting a second or more", finding.Title);
        Assert.Equal("2 of 2 connections from the pod to 198.18.2.30:3306 opened only after the SYN was sent again: 2.00 s lost in all, 1.00 s the longest", finding.Evidence[0]);
        Assert.StartsWith("1 of them: the SYN-ACK is in the capture, yet the pod sent its SYN again: the SYN-ACK reached the node but not the pod", finding.Evidence[1], StringComparison.Ordinal);
        Assert.StartsWith("1 of them: no SYN-ACK answered the first SYN", finding.Evidence[2], StringComparison.Ordinal);
        Assert.Matches(@"^198\.18\.1\.20:40001 → 198\.18\.2\.30:3306: 2 SYNs at \S+, \S+ \(frame 1 in node\.pcapng\), the SYN-ACK at \S+, 1\.00 s after the first SYN$", finding.Evidence[3]);
        Assert.Contains("nstat -az TcpExtListenOverflows TcpExtListenDrops   # on 198.18.2.30", finding.Remediation, StringComparison.Ordinal);
        Assert.Contains("rp_filter", finding.Remediation, StringComparison.Ordinal);
    }

    [Fact]
    public void RetriesOnAPeerThePodChurnsConnectionsToAreCausedByTheChurn()
    {
        // Given: 300 five-millisecond connections in 3 s to the database, five of them retried
        var scenario = new AnalyzerCase("churn", s =>
        {
            for (int i = 0; i < 300; i++)
            {
                var connection = Connect(Pod, (ushort)(30000 + i), Database, 3306, TcpOutcome.Established, i * 10, durationMs: 5);
                s.OnTcpConnection(i % 60 == 0 ? connection with { SynAttempts = 2, SynTimesNs = [At(i * 10), At(i * 10 + 1000)], SynAckNs = At(i * 10 + 1001) } : connection);
            }
        }, []);

        // When
        var finding = Assert.Single(AnalyzerCase.Run(new TcpConnectRetriedAnalyzer(), scenario.Context()));

        // Then
        Assert.Equal([FindingIds.TcpConnectionChurn], finding.CausedBy);
        Assert.Contains(finding.Evidence, l => l.StartsWith("the pod opens short-lived connections to 198.18.2.30:3306 at a high rate (tcp.connection-churn)", StringComparison.Ordinal));
    }

    /// <summary>An established connection whose client sent two SYNs 1 s apart from <paramref name="atMs"/>; the first SYN-ACK at <paramref name="synAckMs"/>.</summary>
    private static TcpConnection Retried(string client, ushort clientPort, string server, ushort port, double atMs, double synAckMs) =>
        Connect(client, clientPort, server, port, TcpOutcome.Established, atMs, syns: 2, synIntervalMs: 1000) with { SynAckNs = At(synAckMs) };
}
