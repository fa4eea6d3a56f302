using KubeTriage.Capture.Flows;
using KubeTriage.Findings;
using KubeTriage.Wire.Analyzers;
using static KubeTriage.Tests.Wire.Synthetic;

namespace KubeTriage.Tests.Wire.Analyzers;

public class MySqlSlowConnectAnalyzerTests
{
    private const string Pod = AnalyzerCase.Pod;
    private const string Database = "198.18.2.20";

    public static TheoryData<AnalyzerCase> Cases => new()
    {
        new("prompt greetings", s => s.OnTcpConnection(Connect(Pod, 40001, Database, 3306, TcpOutcome.Established, 0, protocol: "mysql")), []),
        new("every connection waited 5 s", s =>
        {
            s.OnTcpConnection(Late(40001, 0, 5_000));
            s.OnTcpConnection(Late(40002, 10_000, 5_000));
        }, ["critical 198.18.2.20:3306"]),
        new("one of two waited 2 s", s =>
        {
            s.OnTcpConnection(Connect(Pod, 40001, Database, 3306, TcpOutcome.Established, 0, protocol: "mysql"));
            s.OnTcpConnection(Late(40002, 10_000, 2_000));
        }, ["warning 198.18.2.20:3306"]),
        new("a wait under a second", s => s.OnTcpConnection(Late(40001, 0, 700)), []),
        new("a late greeting that is not MySQL", s => s.OnTcpConnection(Late(40001, 0, 5_000) with { Protocol = null }), []),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void RaisesOneFindingPerServer(AnalyzerCase scenario)
    {
        // When
        var findings = AnalyzerCase.Run(new MySqlSlowConnectAnalyzer(), scenario.Context());

        // Then
        Assert.Equal(scenario.Expected, AnalyzerCase.Lines(findings));
        Assert.All(findings, f => Assert.Equal(FindingIds.MySqlSlowConnect, f.Id));
    }

    [Fact]
    public void TheServersUnansweredReverseLookupsAreCited()
    {
        // Given: a connection that waited 5 s, and the database's PTR query for the pod's address without an answer
        var scenario = new AnalyzerCase("ptr", s =>
        {
            s.OnTcpConnection(Late(40001, 0, 5_000));
            s.OnDns(Dns(Database, "198.18.2.10", "20.1.18.198.in-addr.arpa", 1, rcode: null, type: 12));
        }, []);

        // When
        var finding = Assert.Single(AnalyzerCase.Run(new MySqlSlowConnectAnalyzer(), scenario.Context()));

        // Then
        Assert.Equal("198.18.2.20:3306 greets new connections 5.00 s late (1 of 1 connection)", finding.Title);
        Assert.StartsWith("the server's own reverse lookups went unanswered: 1 PTR query to 198.18.2.10, first 20.1.18.198.in-addr.arpa at ", finding.Evidence[^1], StringComparison.Ordinal);
        Assert.Contains("SELECT @@skip_name_resolve", finding.Remediation, StringComparison.Ordinal);
    }

    private static TcpConnection Late(ushort port, double atMs, double delayMs) =>
        Connect(Pod, port, Database, 3306, TcpOutcome.Established, atMs, protocol: "mysql") with
        {
            GreetingDelayNs = (long)(delayMs * 1_000_000), GreetingNs = At(atMs + delayMs), GreetingFrame = 4,
        };
}
