using KubeTriage.Findings;
using KubeTriage.Names;
using KubeTriage.Names.Analyzers;
using static KubeTriage.Tests.Names.Analyzers.NameEvidence;

namespace KubeTriage.Tests.Names.Analyzers;

public sealed class DnsResolverDisagreementAnalyzerTests
{
    private static readonly Dictionary<string, (DnsProbeEvidence Evidence, string[] Expected)> Cases = new()
    {
        ["all resolvers agree"] = (Evidence(Expect,
            Answer("oss.example.com", ClusterDns, "198.18.3.2"),
            Answer("oss.example.com", Upstream1, "198.18.3.2"),
            Answer("oss.example.com", Upstream2, "198.18.3.2")), []),
        ["same addresses in another order agree"] = (Evidence(Expect,
            Answer("example-api.com", ClusterDns, "203.0.113.1", "203.0.113.2"),
            Answer("example-api.com", Upstream1, "203.0.113.2", "203.0.113.1")), []),
        ["one upstream answers the public path"] = (Evidence(Expect,
            Answer("oss.example.com", ClusterDns, "198.18.3.2"),
            Answer("oss.example.com", Upstream1, "198.19.249.132"),
            Answer("oss.example.com", Upstream2, "198.18.3.2")),
            ["warning dns.resolver-disagreement oss.example.com"]),
        ["an answer against an NXDOMAIN"] = (Evidence(Expect,
            Answer("example-api.com", ClusterDns, "203.0.113.9"),
            Rcode("example-api.com", NodeResolver, DnsRcodes.NxDomain)),
            ["warning dns.resolver-disagreement example-api.com"]),
        ["different addresses all inside the range are info"] = (Evidence(Expect,
            Answer("oss.example.com", ClusterDns, "198.18.3.2"),
            Answer("oss.example.com", Upstream1, "198.18.3.3")),
            ["info dns.resolver-disagreement oss.example.com"]),
        ["a silent resolver does not disagree"] = (Evidence(Expect,
            Answer("oss.example.com", ClusterDns, "198.18.3.2"),
            Silent("oss.example.com", Upstream1)), []),
        ["a SERVFAIL does not disagree"] = (Evidence(Expect,
            Answer("oss.example.com", ClusterDns, "198.18.3.2"),
            Rcode("oss.example.com", Upstream1, DnsRcodes.ServFail)), []),
    };

    public static TheoryData<string> CaseNames => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void AnalyzeRaisesTheExpectedFindings(string name)
    {
        // Given
        var (evidence, expected) = Cases[name];

        // When
        var findings = new DnsResolverDisagreementAnalyzer().Analyze(evidence).ToList();

        // Then
        Assert.Equal(expected, Summaries(findings));
    }

    [Fact]
    public void EvidenceListsEachResolversAnswerAndLinksTheUnexpectedAnswer()
    {
        // Given
        var evidence = Evidence(Expect,
            Answer("oss.example.com", ClusterDns, "198.18.3.2"),
            Answer("oss.example.com", Upstream1, "198.19.249.132"));

        // When
        var finding = Assert.Single(new DnsResolverDisagreementAnalyzer().Analyze(evidence));

        // Then
        Assert.Equal(
            ["198.18.2.10 (cluster-dns): 198.18.3.2", "198.18.2.11 (upstream): 198.19.249.132"],
            finding.Evidence.Take(2));
        Assert.Equal([FindingIds.DnsUnexpectedAnswer], finding.CausedBy);
        Assert.Contains("--resolver 198.18.2.10 --resolver 198.18.2.11", finding.Remediation, StringComparison.Ordinal);
    }

    [Fact]
    public void NoCauseIsNamedWhenNoSideIsUnexpected()
    {
        // Given
        var evidence = Evidence(Expectations.Empty,
            Answer("example-api.com", ClusterDns, "203.0.113.1"),
            Answer("example-api.com", Upstream1, "203.0.113.2"));

        // When
        var finding = Assert.Single(new DnsResolverDisagreementAnalyzer().Analyze(evidence));

        // Then
        Assert.Empty(finding.CausedBy);
        Assert.Equal(Severity.Warning, finding.Severity);
    }
}
