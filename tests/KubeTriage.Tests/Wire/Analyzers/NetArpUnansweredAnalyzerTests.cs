using KubeTriage.Capture;
using KubeTriage.Capture.Flows;
using KubeTriage.Findings;
using KubeTriage.Wire.Analyzers;
using static KubeTriage.Tests.Wire.Synthetic;

namespace KubeTriage.Tests.Wire.Analyzers;

public class NetArpUnansweredAnalyzerTests
{
    private const string Pod = AnalyzerCase.Pod;
    private const string Node = "198.18.1.10";
    private const string Gateway = "198.18.1.1";

    public static TheoryData<AnalyzerCase> Cases => new()
    {
        new("answered", s => s.OnArp(Arp(Node, Gateway, requests: 3, replies: 1)), []),
        new("two requests are not yet a failure", s => s.OnArp(Arp(Node, Gateway, requests: 2)), []),
        new("the node asks for an address nobody has", s => s.OnArp(Arp(Node, "198.18.1.77", requests: 3)), ["warning 198.18.1.77"]),
        new("the pod asks for its gateway", s => s.OnArp(Arp(Pod, Gateway, requests: 6)), ["critical 198.18.1.1"]),
        new("answered on another interface", s =>
        {
            s.OnArp(Arp(Node, Gateway, requests: 3));
            s.OnArp(Arp(Node, Gateway, requests: 1, replies: 1, interfaceId: 1));
        }, []),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void RaisesOneFindingPerAddressNobodyAnswersFor(AnalyzerCase scenario)
    {
        // When
        var findings = AnalyzerCase.Run(new NetArpUnansweredAnalyzer(), scenario.Context());

        // Then
        Assert.Equal(scenario.Expected, AnalyzerCase.Lines(findings));
        Assert.All(findings, f => Assert.Equal(FindingIds.NetArpUnanswered, f.Id));
    }

    [Fact]
    public void AnAddressDnsGaveThePodIsCriticalAndSaysItsPacketsNeverLeft()
    {
        // Given: DNS answered the storage name with an address on the node's link that nobody has
        var scenario = new AnalyzerCase("dns", s =>
        {
            s.OnDns(Dns(Pod, "198.18.2.10", "oss.example.com", 0, answers: "198.18.1.77"));
            s.OnArp(Arp(Node, "198.18.1.77", requests: 3));
        }, []);

        // When
        var finding = Assert.Single(AnalyzerCase.Run(new NetArpUnansweredAnalyzer(), scenario.Context()));

        // Then
        Assert.Equal(Severity.Critical, finding.Severity);
        Assert.Equal("Nothing answers ARP for 198.18.1.77 on node: packets to it cannot leave (3 requests, no reply)", finding.Title);
        Assert.Matches(@"^who-has 198\.18\.1\.77 tell 198\.18\.1\.10 on node: 3 requests from \S+ to \S+ \(frame 5 in node\.pcapng\), no reply$", finding.Evidence[0]);
        Assert.StartsWith("DNS sent the pod there (198.18.2.10 answered oss.example.com → 198.18.1.77", finding.Evidence[1], StringComparison.Ordinal);
        Assert.Contains("ip neigh show 198.18.1.77", finding.Remediation, StringComparison.Ordinal);
    }

    private static ArpResolution Arp(string requester, string target, long requests, long replies = 0, int interfaceId = 0) =>
        new(interfaceId, Ip(target), Ip(requester), requests, replies, At(10), 5, At(10 + ((requests - 1) * 1000)), Synthetic.File)
        {
            FirstReplyNs = replies > 0 ? At(11) : null,
        };
}
