using KubeTriage.Capture.Protocols.MySql;
using KubeTriage.Findings;
using KubeTriage.Wire.Analyzers;
using static KubeTriage.Tests.Wire.Synthetic;

namespace KubeTriage.Tests.Wire.Analyzers;

public class MySqlErrorAnalyzerTests
{
    private const string Pod = AnalyzerCase.Pod;
    private const string Db = "198.18.2.20";

    public static TheoryData<AnalyzerCase> Cases => new()
    {
        new("OK answers raise nothing", s => s.OnMySql(Query(Pod, Db, "SELECT 1", 0, 1)), []),
        new("unknown database is critical", s =>
            s.OnMySql(Query(Pod, Db, "abcd", 0, 1, MySqlOutcome.Error, 1049, "Unknown database 'abcd'", "COM_INIT_DB")), ["critical 198.18.2.20:3306 ERR 1049"]),
        new("a failed login is critical", s =>
            s.OnMySql(Query(Pod, Db, null!, 0, 1, MySqlOutcome.Error, 1045, "Access denied for user 'app'", "Login")), ["critical 198.18.2.20:3306 ERR 1045"]),
        new("a statement error is a warning", s =>
            s.OnMySql(Query(Pod, Db, "SELEC 1", 0, 1, MySqlOutcome.Error, 1064, "You have an error in your SQL syntax")), ["warning 198.18.2.20:3306 ERR 1064"]),
        new("one finding per server and code", s =>
        {
            for (var i = 0; i < 9; i++)
            {
                s.OnMySql(Query(Pod, Db, null!, i * 10, 1, MySqlOutcome.Error, 1045, "Access denied", "Login"));
            }

            for (var i = 0; i < 3; i++)
            {
                s.OnMySql(Query(Pod, Db, null!, 100 + i * 10, 1, MySqlOutcome.Error, 1130, "Host is not allowed to connect", "Login"));
            }
        }, ["critical 198.18.2.20:3306 ERR 1045", "critical 198.18.2.20:3306 ERR 1130"]),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void RaisesOneFindingPerServerAndErrorCode(AnalyzerCase scenario)
    {
        // When
        var findings = AnalyzerCase.Run(new MySqlErrorAnalyzer(), scenario.Context());

        // Then
        Assert.Equal(scenario.Expected, AnalyzerCase.Lines(findings));
        Assert.All(findings, f => Assert.Equal(FindingIds.MySqlError, f.Id));
    }

    [Fact]
    public void EvidenceQuotesTheServersMessage()
    {
        // Given
        var scenario = new AnalyzerCase("1049", s =>
            s.OnMySql(Query(Pod, Db, "abcd", 0, 1, MySqlOutcome.Error, 1049, "Unknown database 'abcd'", "init_db", frame: 15)), []);

        // When
        var finding = Assert.Single(AnalyzerCase.Run(new MySqlErrorAnalyzer(), scenario.Context()));

        // Then
        Assert.Equal("198.18.2.20:3306 answered ERR 1049: Unknown database 'abcd'", finding.Title);
        Assert.Equal(
        [
            "ERR 1049 \"Unknown database 'abcd'\" × 1, answering init_db from 198.18.1.20",
            "first at 22:13:20.000 (frame 15 in node.pcapng)",
            "init_db: abcd",
        ], finding.Evidence);
        Assert.Contains("SHOW DATABASES", finding.Remediation);
    }

    [Theory]
    [InlineData("app", "orders", "login as user 'app' to database 'orders'")]
    [InlineData("app", null, "login as user 'app'")]
    public void ALoginErrorNamesTheUserAndDatabaseNotAStatement(string user, string? database, string expected)
    {
        // Given
        var scenario = new AnalyzerCase("1045", s =>
            s.OnMySql(Query(Pod, Db, database!, 0, 1, MySqlOutcome.Error, 1045, "Access denied for user 'app'", "login") with { User = user }), []);

        // When
        var finding = Assert.Single(AnalyzerCase.Run(new MySqlErrorAnalyzer(), scenario.Context()));

        // Then
        Assert.Equal(expected, finding.Evidence[2]);
        Assert.DoesNotContain(finding.Evidence, l => l.StartsWith("statement", StringComparison.Ordinal));
    }

    [Fact]
    public void ALoginRefusedBeforeTheClientSpokeHasNoUserLine()
    {
        // Given: ERR 1130 answers the connection itself, before any login packet
        var scenario = new AnalyzerCase("1130", s =>
            s.OnMySql(Query(Pod, Db, null!, 0, 1, MySqlOutcome.Error, 1130, "Host 'x' is not allowed to connect to this MySQL server", "login")), []);

        // When
        var finding = Assert.Single(AnalyzerCase.Run(new MySqlErrorAnalyzer(), scenario.Context()));

        // Then
        Assert.Equal(2, finding.Evidence.Count);
    }
}
