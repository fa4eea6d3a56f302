using KubeTriage.Capture.Flows;
using KubeTriage.Findings;
using KubeTriage.Wire.Analyzers;
using static KubeTriage.Tests.Wire.Synthetic;

namespace KubeTriage.Tests.Wire.Analyzers;

public class TcpConnectRefusedAnalyzerTests
{
    private const string Pod = AnalyzerCase.Pod;

    public static TheoryData<AnalyzerCase> Cases => new()
    {
        new("no RST, no finding", s => s.OnTcpConnection(Connect(Pod, 40001, "198.18.2.20", 3306, TcpOutcome.Established, 0)), []),
        new("every connect refused is critical", s =>
        {
            s.OnTcpConnection(Connect(Pod, 40001, "198.18.2.20", 3306, TcpOutcome.Refused, 0));
            s.OnTcpConnection(Connect(Pod, 40002, "198.18.2.20", 3306, TcpOutcome.Refused, 500, syns: 3));
        }, ["critical 198.18.2.20:3306"]),
        new("refused now and then is a warning", s =>
        {
            s.OnTcpConnection(Connect(Pod, 40001, "198.18.2.20", 3306, TcpOutcome.Refused, 0));
            s.OnTcpConnection(Connect(Pod, 40002, "198.18.2.20", 3306, TcpOutcome.Established, 500));
        }, ["warning 198.18.2.20:3306"]),
        new("connects refused to the pod are not the pod's failures", s =>
            s.OnTcpConnection(Connect("198.18.0.10", 40001, Pod, 8080, TcpOutcome.Refused, 0)), []),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void RaisesOneFindingPerRefusedPeerPort(AnalyzerCase scenario)
    {
        // When
        var findings = AnalyzerCase.Run(new TcpConnectRefusedAnalyzer(), scenario.Context());

        // Then
        Assert.Equal(scenario.Expected, AnalyzerCase.Lines(findings));
        Assert.All(findings, f => Assert.Equal(FindingIds.TcpConnectRefused, f.Id));
    }

    [Fact]
    public void EvidenceCitesTheRstAndFrames()
    {
        // Given
        var scenario = new AnalyzerCase("refused", s => s.OnTcpConnection(Connect(Pod, 40001, "198.18.2.20", 3306, TcpOutcome.Refused, 0, rttMs: 0.4, frame: 1)), []);

        // When
        var finding = Assert.Single(AnalyzerCase.Run(new TcpConnectRefusedAnalyzer(), scenario.Context()));

        // Then
        Assert.Equal(
        [
            "1 connection from 198.18.1.20 to 198.18.2.20:3306 answered by RST; none got through",
            "198.18.1.20:40001 → 198.18.2.20:3306: SYN at 22:13:20.000 (frame 1 in node.pcapng), RST after 400 µs",
        ], finding.Evidence);
        Assert.Contains("ss -ltnp 'sport = :3306'", finding.Remediation);
    }
}
