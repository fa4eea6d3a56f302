using KubeTriage.Findings;
using KubeTriage.Wire.Analyzers;
using static KubeTriage.Tests.Wire.Synthetic;

namespace KubeTriage.Tests.Wire.Analyzers;

public class DnsUnexpectedAnswerAnalyzerTests
{
    private const string Pod = AnalyzerCase.Pod;
    private const string Expect = "dependencies:\n  - name: oss.example.com\n    resolvesTo: [198.18.3.0/24]\n  - name: example-api.com\n";

    public static TheoryData<AnalyzerCase> Cases => new()
    {
        new("without expectations nothing is judged", s => s.OnDns(Dns(Pod, "198.18.2.10", "oss.example.com", 0, answers: "198.19.249.132")), []),
        new("an answer inside the range is fine", s => s.OnDns(Dns(Pod, "198.18.2.10", "oss.example.com", 0, answers: "198.18.3.2")), [], Expect),
        new("an answer outside the range is raised per name", s =>
        {
            s.OnDns(Dns(Pod, "198.18.2.10", "oss.example.com", 0, answers: "198.19.249.132"));
            s.OnDns(Dns(Pod, "198.18.2.10", "OSS.example.com.", 500, answers: "198.19.249.132"));
        }, ["warning oss.example.com"], Expect),
        new("names without ranges are not judged", s => s.OnDns(Dns(Pod, "198.18.2.10", "example-api.com", 0, answers: "203.0.113.1")), [], Expect),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void RaisesOneWarningPerNameAnsweredOutsideItsRanges(AnalyzerCase scenario)
    {
        // When
        var findings = AnalyzerCase.Run(new DnsUnexpectedAnswerAnalyzer(), scenario.Context());

        // Then
        Assert.Equal(scenario.Expected, AnalyzerCase.Lines(findings));
        Assert.All(findings, f => Assert.Equal(FindingIds.DnsUnexpectedAnswer, f.Id));
    }

    [Fact]
    public void EvidenceNamesTheResolverTheAnswerAndItsTime()
    {
        // Given
        var scenario = new AnalyzerCase("wrong dns", s =>
        {
            s.OnDns(Dns(Pod, "198.18.2.10", "oss.example.com", 0, latencyMs: 3, frame: 7, answers: "198.19.249.132"));
            s.OnDns(Dns(Pod, "198.18.2.10", "oss.example.com", 1000, latencyMs: 3, frame: 9, answers: "198.19.249.132"));
        }, [], Expect);

        // When
        var finding = Assert.Single(AnalyzerCase.Run(new DnsUnexpectedAnswerAnalyzer(), scenario.Context()));

        // Then
        Assert.Equal("oss.example.com resolved to 198.19.249.132, outside 198.18.3.0/24", finding.Title);
        Assert.Equal(
        [
            "198.18.2.10 answered oss.example.com A → 198.19.249.132 at 22:13:20.003 (query frame 7 in node.pcapng), 2 times",
            "expected 198.18.3.0/24 (expectations line 2)",
        ], finding.Evidence);
        Assert.Contains("kubetriage dns oss.example.com --resolver 198.18.2.10", finding.Remediation);
    }
}
