using KubeTriage.Names;
using KubeTriage.Names.Analyzers;
using static KubeTriage.Tests.Names.Analyzers.NameEvidence;

namespace KubeTriage.Tests.Names.Analyzers;

public sealed class DnsNoResponseAnalyzerTests
{
    private static readonly Dictionary<string, (DnsProbeEvidence Evidence, string[] Expected)> Cases = new()
    {
        ["everyone answers"] = (Evidence(Expect,
            Answer("oss.example.com", ClusterDns, "198.18.3.2"),
            Rcode("oss.example.com", Upstream1, DnsRcodes.ServFail)), []),
        ["cluster DNS is silent while the upstreams answer (twist 1)"] = (Evidence(Expect,
            Silent("oss.example.com", ClusterDns),
            Silent("oss.example.com", ClusterDns, "AAAA"),
            Answer("oss.example.com", Upstream1, "198.18.3.2"),
            Answer("oss.example.com", Upstream2, "198.18.3.2")),
            ["critical dns.no-response 198.18.2.10 (cluster-dns)"]),
        ["one upstream is silent"] = (Evidence(Expect,
            Answer("oss.example.com", ClusterDns, "198.18.3.2"),
            Silent("oss.example.com", Upstream1),
            Answer("oss.example.com", Upstream2, "198.18.3.2")),
            ["warning dns.no-response 198.18.2.11 (upstream)"]),
        ["every resolver is silent"] = (Evidence(Expect,
            Silent("oss.example.com", Upstream1),
            Silent("oss.example.com", Upstream2)),
        [
            "critical dns.no-response 198.18.2.11 (upstream)",
            "critical dns.no-response 198.18.2.12 (upstream)",
        ]),
        ["a network error counts as no response"] = (Evidence(Expect,
            Answer("oss.example.com", ClusterDns, "198.18.3.2"),
            Silent("oss.example.com", NodeResolver) with { Outcome = DnsProbeOutcome.NetworkError, Error = "Connection refused" }),
            ["warning dns.no-response 198.18.0.2 (node)"]),
    };

    public static TheoryData<string> CaseNames => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void AnalyzeRaisesTheExpectedFindings(string name)
    {
        // Given
        var (evidence, expected) = Cases[name];

        // When
        var findings = new DnsNoResponseAnalyzer().Analyze(evidence).ToList();

        // Then
        Assert.Equal(expected, Summaries(findings));
    }

    [Fact]
    public void EvidenceCountsTheSilentQuestionsAndNamesWhoAnswered()
    {
        // Given
        var evidence = Evidence(Expect,
            Silent("oss.example.com", ClusterDns),
            Answer("oss.example.com", ClusterDns, "198.18.3.2") with { Type = "AAAA", Answers = [] },
            Answer("oss.example.com", Upstream1, "198.18.3.2"));

        // When
        var finding = Assert.Single(new DnsNoResponseAnalyzer().Analyze(evidence));

        // Then
        Assert.Equal("1 of 2 questions to 198.18.2.10 (cluster-dns) got no answer within 2s (0 retries)", finding.Evidence[0]);
        Assert.Contains("oss.example.com A: timeout over udp (no answer within the timeout)", finding.Evidence);
        Assert.Contains("answering meanwhile: 198.18.2.10 (cluster-dns), 198.18.2.11 (upstream)", finding.Evidence);
        Assert.Contains("kubectl -n kube-system get pods -l k8s-app=kube-dns", finding.Remediation, StringComparison.Ordinal);
    }
}
