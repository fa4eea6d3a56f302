using KubeTriage.Capture.Flows;
using KubeTriage.Findings;
using KubeTriage.Wire.Analyzers;
using static KubeTriage.Tests.Wire.Synthetic;

namespace KubeTriage.Tests.Wire.Analyzers;

public class DependencyUndeclaredAnalyzerTests
{
    private const string Pod = AnalyzerCase.Pod;
    private const string Expect =
        "dependencies:\n  - name: example-api.com\n  - name: mysql\n    address: 198.18.2.20:3306\n  - name: oss.example.com\n    resolvesTo: [198.18.3.0/24]\n";

    public static TheoryData<AnalyzerCase> Cases => new()
    {
        new("without expectations nothing is judged", s => s.OnTcpConnection(Connect(Pod, 40001, "203.0.113.7", 443, TcpOutcome.Established, 0)), []),
        new("declared by address, by range and by name", s =>
        {
            s.OnTcpConnection(Connect(Pod, 40001, "198.18.2.20", 3306, TcpOutcome.Established, 0));
            s.OnTcpConnection(Connect(Pod, 40002, "198.18.3.2", 80, TcpOutcome.Established, 0));
            s.OnTls(Tls(Pod, "198.18.4.10", "example-api.com", 0));
        }, [], Expect),
        new("a peer known by an expected name is declared even at an unexpected address", s =>
        {
            s.OnDns(Dns(Pod, "198.18.2.10", "oss.example.com", 0, answers: "198.19.249.132"));
            s.OnTcpConnection(Connect(Pod, 40001, "198.19.249.132", 80, TcpOutcome.Established, 10));
        }, [], Expect),
        new("an unknown peer is raised", s =>
            s.OnTcpConnection(Connect(Pod, 40001, "203.0.113.7", 443, TcpOutcome.Established, 0)), ["warning 203.0.113.7"], Expect),
        new("resolvers and callers of the pod are not dependencies", s =>
        {
            s.OnDns(Dns(Pod, "198.18.2.10", "example-api.com", 0, answers: "198.18.4.10"));
            s.OnTcpConnection(Connect("198.18.0.10", 40001, Pod, 8080, TcpOutcome.Established, 0));
        }, [], Expect),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void RaisesPeersThatMatchNoDependency(AnalyzerCase scenario)
    {
        // When
        var findings = AnalyzerCase.Run(new DependencyUndeclaredAnalyzer(), scenario.Context());

        // Then
        Assert.Equal(scenario.Expected, AnalyzerCase.Lines(findings));
        Assert.All(findings, f => Assert.Equal(FindingIds.DependencyUndeclared, f.Id));
    }

    [Fact]
    public void TheFixShowsTheLinesToDeclareIt()
    {
        // Given
        var scenario = new AnalyzerCase("unknown", s => s.OnTcpConnection(Connect(Pod, 40001, "203.0.113.7", 443, TcpOutcome.Established, 0)), [], Expect);

        // When
        var finding = Assert.Single(AnalyzerCase.Run(new DependencyUndeclaredAnalyzer(), scenario.Context()));

        // Then
        Assert.EndsWith("  - name: 203.0.113.7\n    address: 203.0.113.7:443", finding.Remediation);
    }
}
