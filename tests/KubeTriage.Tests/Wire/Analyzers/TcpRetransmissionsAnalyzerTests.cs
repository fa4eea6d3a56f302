using KubeTriage.Capture;
using KubeTriage.Capture.Flows;
using KubeTriage.Findings;
using KubeTriage.Wire.Analyzers;
using static KubeTriage.Tests.Wire.Synthetic;

namespace KubeTriage.Tests.Wire.Analyzers;

public class TcpRetransmissionsAnalyzerTests
{
    private const string Pod = AnalyzerCase.Pod;
    private const string Storage = "198.19.249.132";
    private const string Database = "198.18.2.20";

    public static TheoryData<AnalyzerCase> Cases => new()
    {
        new("no data sent again, no finding", s => s.OnTcpConnection(Lossy(Pod, 40001, Database, 3306, toServer: (20, 0), toClient: (40, 0))), []),
        new("a third of a download sent again", s => s.OnTcpConnection(Lossy(Pod, 40001, Storage, 80, toServer: (1, 0), toClient: (99, 32))), ["warning 198.19.249.132:80"]),
        new("a few repeats on a busy connection are normal", s => s.OnTcpConnection(Lossy(Pod, 40001, Storage, 80, toServer: (10, 0), toClient: (5000, 12))), []),
        new("a high share of very few segments is not enough", s => s.OnTcpConnection(Lossy(Pod, 40001, Storage, 80, toServer: (3, 2), toClient: (4, 3))), []),
        new("losses add up over the connections to one peer and port", s =>
        {
            for (ushort i = 0; i < 5; i++)
            {
                s.OnTcpConnection(Lossy(Pod, (ushort)(40001 + i), Database, 3306, toServer: (20, 2), toClient: (20, 1), atMs: i * 100));
            }
        }, ["warning 198.18.2.20:3306"]),
        new("the pod as server: its callers' connections", s =>
            s.OnTcpConnection(Lossy("198.18.0.50", 51000, Pod, 8080, toServer: (200, 30), toClient: (200, 0))), ["warning 198.18.0.50"]),
        new("traffic between two other hosts is not the pod's", s =>
            s.OnTcpConnection(Lossy("198.18.0.50", 51000, "198.18.0.60", 8080, toServer: (200, 30), toClient: (200, 0))), []),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void RaisesOneFindingPerLossyPeerPort(AnalyzerCase scenario)
    {
        // When
        var findings = AnalyzerCase.Run(new TcpRetransmissionsAnalyzer(), scenario.Context());

        // Then
        Assert.Equal(scenario.Expected, AnalyzerCase.Lines(findings));
        Assert.All(findings, f => Assert.Equal(FindingIds.TcpRetransmissions, f.Id));
    }

    [Fact]
    public void EvidenceGivesBothDirectionsAndTheFirstRetransmittedFrame()
    {
        // Given
        var scenario = new AnalyzerCase("download", s => s.OnTcpConnection(Lossy(Pod, 55918, Storage, 80, toServer: (1, 0), toClient: (99, 32), frame: 443)), []);

        // When
        var finding = Assert.Single(AnalyzerCase.Run(new TcpRetransmissionsAnalyzer(), scenario.Context()));

        // Then
        Assert.Equal("32% of the TCP data with 198.19.249.132 was sent again (32 of 100 segments): packets are lost on the way", finding.Title);
        Assert.Equal(
        [
            "198.19.249.132 → the pod: 32 of 99 data segments sent again (32%); the pod → 198.19.249.132: 0 of 1 data segment sent again (0%)",
            "1 of 1 connection to 198.19.249.132:80 sent data again, from 22:13:20.100 to 22:13:20.600",
            "198.18.1.20:55918 → 198.19.249.132:80: 0 of 1 segments sent again to the server, 32 of 99 segments sent again to the client; first at 22:13:20.100 (frame 443 in node.pcapng)",
        ], finding.Evidence);
        Assert.Contains("tc -s qdisc show", finding.Remediation);
        Assert.Contains("mtr -n -T -P 80 198.19.249.132", finding.Remediation);
        Assert.Empty(finding.CausedBy);
    }

    [Fact]
    public void APeerReachedThroughAnUnexpectedDnsAnswerNamesThatCause()
    {
        // Given: the pod resolved the storage name to an address outside its dedicated range, then lost data on that path
        var scenario = new AnalyzerCase("wrong path", s =>
        {
            s.OnDns(Dns(Pod, "198.18.2.10", "oss.example.com", 0, answers: Storage));
            s.OnTcpConnection(Lossy(Pod, 55918, Storage, 80, toServer: (1, 0), toClient: (99, 32)));
        }, [], "dependencies:\n  - name: oss.example.com\n    resolvesTo: [198.18.3.0/24]\n");

        // When
        var finding = Assert.Single(AnalyzerCase.Run(new TcpRetransmissionsAnalyzer(), scenario.Context()));

        // Then
        Assert.Equal([FindingIds.DnsUnexpectedAnswer], finding.CausedBy);
        Assert.Contains(finding.Evidence, line => line.StartsWith("the pod got this address from DNS: 198.18.2.10 answered oss.example.com → 198.19.249.132", StringComparison.Ordinal));
        Assert.StartsWith("The pod reaches 198.19.249.132 because DNS gave it an address outside the expected ranges", finding.Remediation, StringComparison.Ordinal);
        Assert.Equal("198.19.249.132:80 (oss.example.com)", finding.Subject);
    }

    [Fact]
    public void AConnectionSeenBeforeAndAfterDnatIsOneFindingUnderTheServiceAddress()
    {
        // Given: one lossy connection to a Service address, seen again after DNAT going to its backend
        var scenario = new AnalyzerCase("dnat", s =>
        {
            s.OnTcpConnection(Lossy(Pod, 41000, "198.18.5.10", 80, toServer: (1, 0), toClient: (99, 32)) with { ClientInitialSequence = 7 });
            s.OnTcpConnection(Lossy(Pod, 41000, Database, 8080, toServer: (1, 0), toClient: (99, 32), atMs: 0.04) with { ClientInitialSequence = 7 });
        }, []);

        // When
        var finding = Assert.Single(AnalyzerCase.Run(new TcpRetransmissionsAnalyzer(), scenario.Context()));

        // Then
        Assert.Equal("198.18.5.10:80", finding.Subject);
        Assert.Contains("DNAT on the node sent these connections to 198.18.2.20:8080: the same segments, counted once", finding.Evidence);
    }

    /// <summary>An established connection with (segments, sent again) per direction; repeats start 100 ms in and end 500 ms later.</summary>
    private static TcpConnection Lossy(string client, ushort clientPort, string server, ushort port, (long Segments, int Again) toServer,
        (long Segments, int Again) toClient, double atMs = 0, long frame = 1)
    {
        var connection = Connect(client, clientPort, server, port, TcpOutcome.Established, atMs, durationMs: 1000, frame: 1);
        bool any = toServer.Again + toClient.Again > 0;
        return connection with
        {
            DataSegmentsToServer = toServer.Segments,
            DataSegmentsToClient = toClient.Segments,
            DataRetransmissionsToServer = toServer.Again,
            DataRetransmissionsToClient = toClient.Again,
            FirstDataRetransmissionNs = any ? At(atMs + 100) : null,
            FirstDataRetransmissionFrame = any ? frame : 0,
            LastDataRetransmissionNs = any ? At(atMs + 600) : null,
        };
    }
}
