using KubeTriage.Findings;
using KubeTriage.Wire.Analyzers;
using static KubeTriage.Tests.Wire.Synthetic;

namespace KubeTriage.Tests.Wire.Analyzers;

public class DnsNoResponseAnalyzerTests
{
    private const string Pod = AnalyzerCase.Pod;
    private const string ClusterDns = "198.18.2.10";

    public static TheoryData<AnalyzerCase> Cases => new()
    {
        new("answered queries raise nothing", s => s.OnDns(Dns(Pod, ClusterDns, "example-api.com", 0, answers: "198.18.4.10")), []),
        new("the only resolver is silent: critical", s =>
        {
            s.OnDns(Dns(Pod, ClusterDns, "example-api.com", 0, rcode: null));
            s.OnDns(Dns(Pod, ClusterDns, "example-api.com", 5000, rcode: null));
        }, ["critical DNS server 198.18.2.10"]),
        new("a name no resolver answered is critical even if others worked", s =>
        {
            s.OnDns(Dns(Pod, ClusterDns, "example-api.com", 0, answers: "198.18.4.10"));
            s.OnDns(Dns(Pod, ClusterDns, "oss.example.com", 100, rcode: null));
        }, ["critical DNS server 198.18.2.10"]),
        new("a retry that another resolver answered is a warning", s =>
        {
            s.OnDns(Dns(Pod, "198.18.2.11", "example-api.com", 0, rcode: null));
            s.OnDns(Dns(Pod, "198.18.2.12", "example-api.com", 5000, answers: "198.18.4.10"));
        }, ["warning DNS server 198.18.2.11"]),
        new("each silent resolver is named", s =>
        {
            s.OnDns(Dns(Pod, "198.18.2.11", "example-api.com", 0, rcode: null));
            s.OnDns(Dns(Pod, "198.18.2.12", "example-api.com", 1000, rcode: null));
        }, ["critical DNS server 198.18.2.11", "critical DNS server 198.18.2.12"]),
        new("queries of other clients are not the pod's", s => s.OnDns(Dns("198.18.0.10", ClusterDns, "example-api.com", 0, rcode: null)), []),
        new("a query in the capture's last second is not judged", s =>
        {
            Start(s, "eth0");
            Packets(s, 0, Pod, ClusterDns, 1, atMs: 0);
            Packets(s, 0, Pod, ClusterDns, 1, atMs: 3000);
            s.OnDns(Dns(Pod, ClusterDns, "example-api.com", 2900, rcode: null));
        }, []),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void RaisesOneFindingPerSilentResolver(AnalyzerCase scenario)
    {
        // When
        var findings = AnalyzerCase.Run(new DnsNoResponseAnalyzer(), scenario.Context());

        // Then
        Assert.Equal(scenario.Expected, AnalyzerCase.Lines(findings));
        Assert.All(findings, f => Assert.Equal(FindingIds.DnsNoResponse, f.Id));
    }

    [Fact]
    public void EvidenceNamesTheNamesAndTheFixAsksTheResolver()
    {
        // Given
        var scenario = new AnalyzerCase("down", s =>
        {
            s.OnDns(Dns(Pod, ClusterDns, "example-api.com", 0, rcode: null, frame: 3));
            s.OnDns(Dns(Pod, ClusterDns, "example-api.com", 5000, rcode: null, frame: 9));
        }, []);

        // When
        var finding = Assert.Single(AnalyzerCase.Run(new DnsNoResponseAnalyzer(), scenario.Context()));

        // Then
        Assert.Equal(
        [
            "2 queries to 198.18.2.10 between 22:13:20.000 and 22:13:25.000 got no answer (it answered none)",
            "example-api.com: 2 queries, first at 22:13:20.000 (frame 3 in node.pcapng); never answered by any resolver",
            "none of the pod's resolvers (198.18.2.10) answered any query in the capture",
        ], finding.Evidence);
        Assert.Contains("kubetriage dns example-api.com --resolver 198.18.2.10", finding.Remediation);
    }

    [Fact]
    public void OneQuerySaysWhenNotBetween()
    {
        // Given
        var scenario = new AnalyzerCase("one", s => s.OnDns(Dns(Pod, ClusterDns, "example-api.com", 0, rcode: null, frame: 3)), []);

        // When
        var finding = Assert.Single(AnalyzerCase.Run(new DnsNoResponseAnalyzer(), scenario.Context()));

        // Then
        Assert.Equal("1 query to 198.18.2.10 at 22:13:20.000 got no answer (it answered none)", finding.Evidence[0]);
    }
}
