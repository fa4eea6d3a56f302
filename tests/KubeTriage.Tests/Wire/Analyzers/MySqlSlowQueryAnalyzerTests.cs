using KubeTriage.Findings;
using KubeTriage.Wire.Analyzers;
using static KubeTriage.Tests.Wire.Synthetic;

namespace KubeTriage.Tests.Wire.Analyzers;

public class MySqlSlowQueryAnalyzerTests
{
    private const string Pod = AnalyzerCase.Pod;
    private const string Db = "198.18.2.20";

    public static TheoryData<AnalyzerCase> Cases => new()
    {
        new("fast queries raise nothing", s => s.OnMySql(Query(Pod, Db, "SELECT 1", 0, 3)), []),
        new("13 calls of 4 s are one finding", s =>
        {
            for (var i = 0; i < 13; i++)
            {
                s.OnMySql(Query(Pod, Db, "CALL business_query()", i * 4100, 4000));
            }
        }, ["warning 198.18.2.20:3306 CALL business_query()"]),
        new("one finding per statement shape", s =>
        {
            s.OnMySql(Query(Pod, Db, "SELECT * FROM a WHERE id = 1", 0, 1500));
            s.OnMySql(Query(Pod, Db, "SELECT * FROM a WHERE id = 2", 2000, 1500));
            s.OnMySql(Query(Pod, Db, "UPDATE b SET x = 'y'", 4000, 2000));
        }, ["warning 198.18.2.20:3306 SELECT * FROM a WHERE id = ?", "warning 198.18.2.20:3306 UPDATE b SET x = ?"]),
        new("exactly at the threshold is slow", s => s.OnMySql(Query(Pod, Db, "SELECT 1", 0, 1000)), ["warning 198.18.2.20:3306 SELECT ?"]),
        new("errors are not slow queries", s =>
            s.OnMySql(Query(Pod, Db, "SELECT 1", 0, 5000, Capture.Protocols.MySql.MySqlOutcome.Error, 1205, "Lock wait timeout")), []),
        new("many slow shapes are cut to five and a summary", s =>
        {
            for (var i = 0; i < 7; i++)
            {
                s.OnMySql(Query(Pod, Db, $"SELECT * FROM t{i}", i * 3000, 1000 + (i * 100)));
            }
        },
        [
            "warning 198.18.2.20:3306 SELECT * FROM t2", "warning 198.18.2.20:3306 SELECT * FROM t3", "warning 198.18.2.20:3306 SELECT * FROM t4",
            "warning 198.18.2.20:3306 SELECT * FROM t5", "warning 198.18.2.20:3306 SELECT * FROM t6", "warning 198.18.2.20:3306 other statements",
        ]),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void RaisesOneWarningPerServerAndStatementShape(AnalyzerCase scenario)
    {
        // When
        var findings = AnalyzerCase.Run(new MySqlSlowQueryAnalyzer(), scenario.Context());

        // Then
        Assert.Equal(scenario.Expected, AnalyzerCase.Lines(findings));
        Assert.All(findings, f => Assert.Equal(FindingIds.MySqlSlowQuery, f.Id));
    }

    [Fact]
    public void TheTitleSaysHowManyTimesHowLong()
    {
        // Given
        var scenario = new AnalyzerCase("13 × 4 s", s =>
        {
            for (var i = 0; i < 13; i++)
            {
                s.OnMySql(Query(Pod, Db, "CALL business_query()", i * 4100, 4000, frame: 100 + i));
            }
        }, []);

        // When
        var finding = Assert.Single(AnalyzerCase.Run(new MySqlSlowQueryAnalyzer(), scenario.Context()));

        // Then
        Assert.Equal("13 queries × ~4.00 s = 52.0 s on 198.18.2.20:3306", finding.Title);
        Assert.Equal("CALL business_query(): 13 of 13 took ≥ 1.00 s: 13 × ~4.00 s = 52.0 s, longest 4.00 s", finding.Evidence[0]);
        Assert.Contains("198.18.1.20:50000 → 198.18.2.20:3306 COM_QUERY at 22:13:20.000 (frame 100 in node.pcapng): 4.00 s", finding.Evidence);
        Assert.Contains("EXPLAIN CALL business_query()", finding.Remediation);
    }

    [Fact]
    public void TheThresholdComesFromTheEvidence()
    {
        // Given
        var scenario = new AnalyzerCase("500 ms", s => s.OnMySql(Query(Pod, Db, "SELECT 1", 0, 600)), []);

        // When
        var strict = AnalyzerCase.Run(new MySqlSlowQueryAnalyzer(), scenario.Context(slowQueryMs: 500));
        var lax = AnalyzerCase.Run(new MySqlSlowQueryAnalyzer(), scenario.Context(slowQueryMs: 1000));

        // Then
        Assert.Single(strict);
        Assert.Empty(lax);
    }
}
