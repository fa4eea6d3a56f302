using KubeTriage.Findings;
using KubeTriage.Wire.Analyzers;
using static KubeTriage.Tests.Wire.Synthetic;

namespace KubeTriage.Tests.Wire.Analyzers;

public class DnsErrorRcodeAnalyzerTests
{
    private const string Pod = AnalyzerCase.Pod;
    private const string ClusterDns = "198.18.2.10";

    public static TheoryData<AnalyzerCase> Cases => new()
    {
        new("NOERROR raises nothing", s => s.OnDns(Dns(Pod, ClusterDns, "example-api.com", 0, answers: "198.18.4.10")), []),
        new("SERVFAIL is a warning per resolver", s =>
        {
            s.OnDns(Dns(Pod, ClusterDns, "example-api.com", 0, rcode: 2));
            s.OnDns(Dns(Pod, ClusterDns, "oss.example.com", 10, rcode: 2));
        }, ["warning DNS server 198.18.2.10 SERVFAIL"]),
        new("REFUSED is a warning", s => s.OnDns(Dns(Pod, ClusterDns, "example-api.com", 0, rcode: 5)), ["warning DNS server 198.18.2.10 REFUSED"]),
        new("NXDOMAIN is information", s =>
        {
            s.OnDns(Dns(Pod, ClusterDns, "nothing.example.com", 0, rcode: 3));
            s.OnDns(Dns(Pod, ClusterDns, "gone.example.com", 10, rcode: 3));
        }, ["info NXDOMAIN"]),
        new("NXDOMAIN for an expected dependency is a warning", s =>
            s.OnDns(Dns(Pod, ClusterDns, "example-api.com", 0, rcode: 3)),
            ["warning example-api.com"], "dependencies:\n  - name: example-api.com\n"),
        new("ndots search-path tries are summed up in one information finding", s =>
        {
            s.OnDns(Dns(Pod, ClusterDns, "example-api.com.default.svc.cluster.local", 0, rcode: 3));
            s.OnDns(Dns(Pod, ClusterDns, "example-api.com.svc.cluster.local", 1, rcode: 3));
            s.OnDns(Dns(Pod, ClusterDns, "example-api.com.cluster.local", 2, rcode: 3));
            s.OnDns(Dns(Pod, ClusterDns, "oss.example.com.default.svc.cluster.local", 3, rcode: 3));
            s.OnDns(Dns(Pod, ClusterDns, "example-api.com", 4, answers: "198.18.4.10"));
        }, ["info search-path NXDOMAIN"], "dependencies:\n  - name: example-api.com\n"),
        new("a missing Service name is not a search-path try", s =>
            s.OnDns(Dns(Pod, ClusterDns, "mysql.default.svc.cluster.local", 0, rcode: 3)), ["info NXDOMAIN"]),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void JudgesErrorCodesBySeverity(AnalyzerCase scenario)
    {
        // When
        var findings = AnalyzerCase.Run(new DnsErrorRcodeAnalyzer(), scenario.Context());

        // Then
        Assert.Equal(scenario.Expected, AnalyzerCase.Lines(findings));
        Assert.All(findings, f => Assert.Equal(FindingIds.DnsErrorRcode, f.Id));
    }
}
