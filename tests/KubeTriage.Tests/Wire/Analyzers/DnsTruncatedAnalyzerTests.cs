using KubeTriage.Capture.Flows;
using KubeTriage.Capture.Protocols.Dns;
using KubeTriage.Findings;
using KubeTriage.Wire.Analyzers;
using static KubeTriage.Tests.Wire.Synthetic;

namespace KubeTriage.Tests.Wire.Analyzers;

public class DnsTruncatedAnalyzerTests
{
    private const string Pod = AnalyzerCase.Pod;
    private const string Dns = "198.18.2.10";

    public static TheoryData<AnalyzerCase> Cases => new()
    {
        new("complete answers", s => s.OnDns(Synthetic.Dns(Pod, Dns, "api.lab", 0, answers: "198.18.5.1")), []),
        new("truncated, then answered over TCP", s =>
        {
            s.OnDns(Truncated(Pod, "big.lab", 0));
            s.OnDns(OverTcp(Pod, "big.lab", 3, answered: true));
        }, []),
        new("truncated, never asked over TCP", s => s.OnDns(Truncated(Pod, "big.lab", 0)), ["critical DNS server 198.18.2.10"]),
        new("truncated, asked over TCP without an answer", s =>
        {
            s.OnDns(Truncated(Pod, "big.lab", 0));
            s.OnDns(OverTcp(Pod, "big.lab", 3, answered: false));
        }, ["critical DNS server 198.18.2.10"]),
        new("one name falls back, another does not", s =>
        {
            s.OnDns(Truncated(Pod, "big.lab", 0));
            s.OnDns(OverTcp(Pod, "big.lab", 3, answered: true));
            s.OnDns(Truncated(Pod, "other.lab", 10));
        }, ["warning DNS server 198.18.2.10"]),
        new("a TCP question before the truncated answer is not its fallback", s =>
        {
            s.OnDns(OverTcp(Pod, "big.lab", 0, answered: true));
            s.OnDns(Truncated(Pod, "big.lab", 100));
        }, ["critical DNS server 198.18.2.10"]),
        new("another client's truncated answer", s => s.OnDns(Truncated("198.18.0.50", "big.lab", 0)), []),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void RaisesOneFindingPerServer(AnalyzerCase scenario)
    {
        // When
        var findings = AnalyzerCase.Run(new DnsTruncatedAnalyzer(), scenario.Context());

        // Then
        Assert.Equal(scenario.Expected, AnalyzerCase.Lines(findings));
        Assert.All(findings, f => Assert.Equal(FindingIds.DnsTruncated, f.Id));
    }

    [Fact]
    public void APodThatNeverAsksOverTcpIsToldItsResolverDoesNotFallBack()
    {
        // Given
        var scenario = new AnalyzerCase("musl", s => s.OnDns(Truncated(Pod, "big.lab", 0)), []);

        // When
        var finding = Assert.Single(AnalyzerCase.Run(new DnsTruncatedAnalyzer(), scenario.Context()));

        // Then
        Assert.Equal("198.18.2.10 sent the pod truncated DNS answers it never got in full over TCP (big.lab A)", finding.Title);
        Assert.StartsWith("the pod asked no DNS question over TCP in the whole capture: its resolver does not fall back", finding.Evidence[^1], StringComparison.Ordinal);
        Assert.Contains("dig +tcp big.lab A @198.18.2.10", finding.Remediation, StringComparison.Ordinal);
        Assert.Empty(finding.CausedBy);
    }

    [Fact]
    public void FailedConnectsToPort53AreTheCause()
    {
        // Given: the pod's resolver tried TCP and got no SYN-ACK
        var scenario = new AnalyzerCase("blocked", s =>
        {
            s.OnDns(Truncated(Pod, "big.lab", 0));
            s.OnTcpConnection(Connect(Pod, 41000, Dns, 53, TcpOutcome.NoReply, 3, syns: 2));
        }, []);

        // When
        var finding = Assert.Single(AnalyzerCase.Run(new DnsTruncatedAnalyzer(), scenario.Context()));

        // Then
        Assert.Equal([FindingIds.TcpConnectNoReply], finding.CausedBy);
        Assert.StartsWith("the pod's connects to 198.18.2.10:53 over TCP failed (1 without answer, 0 refused)", finding.Evidence[^1], StringComparison.Ordinal);
    }

    private static DnsTransaction Truncated(string client, string name, double atMs) =>
        Synthetic.Dns(client, Dns, name, atMs) with { Truncated = true };

    private static DnsTransaction OverTcp(string client, string name, double atMs, bool answered) =>
        Synthetic.Dns(client, Dns, name, atMs, rcode: answered ? 0 : null, answers: answered ? ["198.18.5.1"] : []) with { OverTcp = true };
}
