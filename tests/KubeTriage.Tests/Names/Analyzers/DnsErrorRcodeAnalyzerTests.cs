using KubeTriage.Names;
using KubeTriage.Names.Analyzers;
using static KubeTriage.Tests.Names.Analyzers.NameEvidence;

namespace KubeTriage.Tests.Names.Analyzers;

public sealed class DnsErrorRcodeAnalyzerTests
{
    private static readonly Dictionary<string, (DnsProbeEvidence Evidence, string[] Expected)> Cases = new()
    {
        ["NOERROR, with or without data, is no error"] = (Evidence(Expect,
            Answer("oss.example.com", ClusterDns, "198.18.3.2"),
            AnswerAaaa("oss.example.com", ClusterDns)), []),
        ["SERVFAIL is a warning"] = (Evidence(Expect,
            Rcode("oss.example.com", ClusterDns, DnsRcodes.ServFail)),
            ["warning dns.error-rcode oss.example.com @ 198.18.2.10"]),
        ["REFUSED is a warning"] = (Evidence(Expect,
            Rcode("oss.example.com", Upstream1, DnsRcodes.Refused)),
            ["warning dns.error-rcode oss.example.com @ 198.18.2.11"]),
        ["NXDOMAIN for a name nobody expects is info"] = (Evidence(Expect,
            Rcode("typo.example.org", Upstream1, DnsRcodes.NxDomain),
            Rcode("typo.example.org", Upstream1, DnsRcodes.NxDomain, "AAAA")),
            ["info dns.error-rcode typo.example.org @ 198.18.2.11"]),
        ["NXDOMAIN for an expected dependency is a warning"] = (Evidence(Expect,
            Rcode("example-api.com", ClusterDns, DnsRcodes.NxDomain)),
            ["warning dns.error-rcode example-api.com @ 198.18.2.10"]),
        ["a timeout is not an rcode"] = (Evidence(Expect,
            Silent("oss.example.com", ClusterDns)), []),
        ["A and AAAA failing differently give one finding per code"] = (Evidence(Expect,
            Rcode("oss.example.com", ClusterDns, DnsRcodes.ServFail),
            Rcode("oss.example.com", ClusterDns, DnsRcodes.Refused, "AAAA")),
        [
            "warning dns.error-rcode oss.example.com @ 198.18.2.10",
            "warning dns.error-rcode oss.example.com @ 198.18.2.10",
        ]),
    };

    public static TheoryData<string> CaseNames => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void AnalyzeRaisesTheExpectedFindings(string name)
    {
        // Given
        var (evidence, expected) = Cases[name];

        // When
        var findings = new DnsErrorRcodeAnalyzer().Analyze(evidence).ToList();

        // Then
        Assert.Equal(expected, Summaries(findings));
    }

    [Fact]
    public void EvidenceNamesTheCodeTheResolverAndWhyTheNameMatters()
    {
        // Given
        var evidence = Evidence(Expect, Rcode("example-api.com", ClusterDns, DnsRcodes.NxDomain));

        // When
        var finding = Assert.Single(new DnsErrorRcodeAnalyzer().Analyze(evidence));

        // Then
        Assert.Equal("198.18.2.10 (cluster-dns) answers example-api.com with NXDOMAIN", finding.Title);
        Assert.Equal("198.18.2.10 (cluster-dns) answered example-api.com A: no address (NXDOMAIN, 0.8 ms, udp)", finding.Evidence[0]);
        Assert.Contains("example-api.com is a dependency in the expectations file: the app needs it to resolve", finding.Evidence);
    }
}
