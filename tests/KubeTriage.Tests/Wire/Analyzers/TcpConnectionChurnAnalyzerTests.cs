using KubeTriage.Capture;
using KubeTriage.Capture.Flows;
using KubeTriage.Findings;
using KubeTriage.Wire.Analyzers;
using static KubeTriage.Tests.Wire.Synthetic;

namespace KubeTriage.Tests.Wire.Analyzers;

public class TcpConnectionChurnAnalyzerTests
{
    private const string Pod = AnalyzerCase.Pod;
    private const string Api = "198.18.5.10";

    public static TheoryData<AnalyzerCase> Cases => new()
    {
        new("300 short connections in 3 s", s => Open(s, 300, intervalMs: 10, durationMs: 5), ["warning 198.18.5.10:443"]),
        new("199 are too few", s => Open(s, 199, intervalMs: 10, durationMs: 5), []),
        new("300 over a minute are too slow", s => Open(s, 300, intervalMs: 200, durationMs: 5), []),
        new("300 that each stay open 10 s are a pool's", s => Open(s, 300, intervalMs: 10, durationMs: 10_000), []),
        new("clients of the pod opening connections to it", s =>
        {
            for (int i = 0; i < 300; i++)
            {
                s.OnTcpConnection(Connect("198.18.0.50", (ushort)(20000 + i), Pod, 8080, TcpOutcome.Established, i * 10, durationMs: 5));
            }
        }, []),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void RaisesOneFindingPerPeerAndPort(AnalyzerCase scenario)
    {
        // When
        var findings = AnalyzerCase.Run(new TcpConnectionChurnAnalyzer(), scenario.Context());

        // Then
        Assert.Equal(scenario.Expected, AnalyzerCase.Lines(findings));
        Assert.All(findings, f => Assert.Equal(FindingIds.TcpConnectionChurn, f.Id));
    }

    [Fact]
    public void EvidenceGivesTheRateTheLifetimeAndThePortsHeld()
    {
        // Given
        var scenario = new AnalyzerCase("churn", s => Open(s, 300, intervalMs: 10, durationMs: 5), []);

        // When
        var finding = Assert.Single(AnalyzerCase.Run(new TcpConnectionChurnAnalyzer(), scenario.Context()));

        // Then
        Assert.Equal("The pod opens a short-lived connection to 198.18.5.10:443 for every request or two (100 per second, 300 in all)", finding.Title);
        Assert.StartsWith("each connection open 5 ms on average, with 1.0 request/response turns", finding.Evidence[1], StringComparison.Ordinal);
        Assert.Matches(@"^each closed connection keeps its port in TIME_WAIT for 60 s: at this rate about 6,0\d\d ports to this one destination", finding.Evidence[2]);
        Assert.Contains("ss -tan state time-wait dst 198.18.5.10", finding.Remediation, StringComparison.Ordinal);
    }

    [Fact]
    public void SaysHowManyRequestsEachConnectionCarries()
    {
        // Given: each short connection carries a login and four queries
        var scenario = new AnalyzerCase("churn", s => Open(s, 300, intervalMs: 10, durationMs: 5, turns: 5), []);

        // When
        var finding = Assert.Single(AnalyzerCase.Run(new TcpConnectionChurnAnalyzer(), scenario.Context()));

        // Then
        Assert.Equal("The pod opens a short-lived connection to 198.18.5.10:443 every 5 requests (100 per second, 300 in all)", finding.Title);
        Assert.EndsWith("a new connection, with its handshakes, every 5 requests", finding.Evidence[1], StringComparison.Ordinal);
    }

    private static void Open(ICaptureSink sink, int count, double intervalMs, double durationMs, int turns = 1)
    {
        for (int i = 0; i < count; i++)
        {
            sink.OnTcpConnection(Connect(Pod, (ushort)(30000 + i), Api, 443, TcpOutcome.Established, i * intervalMs, durationMs: durationMs) with { ServerTurns = turns });
        }
    }
}
