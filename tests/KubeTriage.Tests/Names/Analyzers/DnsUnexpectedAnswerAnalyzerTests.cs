using KubeTriage.Findings;
using KubeTriage.Names;
using KubeTriage.Names.Analyzers;
using static KubeTriage.Tests.Names.Analyzers.NameEvidence;

namespace KubeTriage.Tests.Names.Analyzers;

public sealed class DnsUnexpectedAnswerAnalyzerTests
{
    private static readonly Dictionary<string, (DnsProbeEvidence Evidence, string[] Expected)> Cases = new()
    {
        ["every resolver answers inside the range"] = (Evidence(Expect,
            Answer("oss.example.com", ClusterDns, "198.18.3.2"),
            Answer("oss.example.com", Upstream1, "198.18.3.2")), []),
        ["the upstreams answer the public path (the incident)"] = (Evidence(Expect,
            Answer("oss.example.com", ClusterDns, "198.19.249.132"),
            Answer("oss.example.com", Upstream1, "198.19.249.132"),
            Answer("oss.example.com", Upstream2, "198.19.249.132")),
        [
            "critical dns.unexpected-answer oss.example.com @ 198.18.2.10",
            "critical dns.unexpected-answer oss.example.com @ 198.18.2.11",
            "critical dns.unexpected-answer oss.example.com @ 198.18.2.12",
        ]),
        ["a node resolver off the pod's path is a warning"] = (Evidence(Expect,
            Answer("oss.example.com", ClusterDns, "198.18.3.2"),
            Answer("oss.example.com", NodeResolver, "198.19.249.132")),
            ["warning dns.unexpected-answer oss.example.com @ 198.18.0.2"]),
        ["a resolver named without a role is a warning"] = (Evidence(Expect,
            Answer("oss.example.com", GivenResolver, "198.19.249.132")),
            ["warning dns.unexpected-answer oss.example.com @ 198.18.5.5:5353"]),
        ["an AAAA answer outside the IPv4 range counts"] = (Evidence(Expect,
            Answer("oss.example.com", ClusterDns, "198.18.3.2"),
            AnswerAaaa("oss.example.com", ClusterDns, "2001:db8::7")),
            ["critical dns.unexpected-answer oss.example.com @ 198.18.2.10"]),
        ["a name without resolvesTo is never unexpected"] = (Evidence(Expect,
            Answer("example-api.com", ClusterDns, "203.0.113.9")), []),
        ["a name missing from the expectations is never unexpected"] = (Evidence(Expect,
            Answer("other.example.org", ClusterDns, "203.0.113.9")), []),
        ["no answer is not an unexpected answer"] = (Evidence(Expect,
            Silent("oss.example.com", ClusterDns),
            Rcode("oss.example.com", Upstream1, DnsRcodes.NxDomain)), []),
    };

    public static TheoryData<string> CaseNames => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void AnalyzeRaisesTheExpectedFindings(string name)
    {
        // Given
        var (evidence, expected) = Cases[name];

        // When
        var findings = new DnsUnexpectedAnswerAnalyzer().Analyze(evidence).ToList();

        // Then
        Assert.Equal(expected, Summaries(findings));
    }

    [Fact]
    public void EvidenceNamesTheResolverItsRoleAndTheAddress()
    {
        // Given
        var evidence = Evidence(Expect, Answer("oss.example.com", Upstream1, "198.19.249.132"));

        // When
        var finding = Assert.Single(new DnsUnexpectedAnswerAnalyzer().Analyze(evidence));

        // Then
        Assert.Equal(FindingIds.DnsUnexpectedAnswer, finding.Id);
        Assert.Contains(finding.Evidence, l => l.StartsWith("198.18.2.11 (upstream) answered oss.example.com A: 198.19.249.132", StringComparison.Ordinal));
        Assert.Contains(finding.Evidence, l => l.Contains("resolvesTo [198.18.3.0/24] (expect.yaml:3)", StringComparison.Ordinal));
        Assert.Contains("kubetriage dns oss.example.com --resolver 198.18.2.11", finding.Remediation, StringComparison.Ordinal);
    }

    [Fact]
    public void EvidenceShowsTheCnameChainThatLedToTheAddress()
    {
        // Given
        var probe = Answer("oss.example.com", ClusterDns, "198.19.249.132") with
        {
            CnameChain = ["oss.example.com", "oss-public.example.net"],
        };

        // When
        var finding = Assert.Single(new DnsUnexpectedAnswerAnalyzer().Analyze(Evidence(Expect, probe)));

        // Then
        Assert.Contains(finding.Evidence, l => l.Contains("via CNAME oss.example.com -> oss-public.example.net", StringComparison.Ordinal));
    }

    [Fact]
    public void ClusterDnsEvidenceNamesTheUpstreamsThatGiveTheSameAnswer()
    {
        // Given
        var evidence = Evidence(Expect,
            Answer("oss.example.com", ClusterDns, "198.19.249.132"),
            Answer("oss.example.com", Upstream1, "198.19.249.132"),
            Answer("oss.example.com", Upstream2, "198.18.3.2"));

        // When
        var finding = new DnsUnexpectedAnswerAnalyzer().Analyze(evidence).Single(f => f.Subject.EndsWith("198.18.2.10", StringComparison.Ordinal));

        // Then
        Assert.Contains("the same answer comes from 198.18.2.11 (upstream): cluster DNS passes on what it is told there", finding.Evidence);
        Assert.Equal(Severity.Critical, finding.Severity);
    }
}
