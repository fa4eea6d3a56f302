using KubeTriage.Findings;
using KubeTriage.Wire.Analyzers;
using static KubeTriage.Tests.Wire.Synthetic;

namespace KubeTriage.Tests.Wire.Analyzers;

public class DependencySlowAnalyzerTests
{
    private const string Pod = AnalyzerCase.Pod;
    private const string Db = "198.18.2.20";
    private const string Oss = "198.19.249.132";
    private const string Expect = "dependencies:\n  - name: oss.example.com\n    resolvesTo: [198.18.3.0/24]\n";

    public static TheoryData<AnalyzerCase> Cases => new()
    {
        new("fast peers raise nothing", s =>
        {
            s.OnHttp(Http(Pod, "198.18.3.2", "oss.example.com", "/f", 0, 20));
            s.OnMySql(Query(Pod, Db, "SELECT 1", 100, 2));
        }, []),
        new("a slow object store holds the pod's time", s =>
        {
            s.OnDns(Dns(Pod, "198.18.2.10", "oss.example.com", 0, answers: Oss));
            for (var i = 0; i < 3; i++)
            {
                s.OnHttp(Http(Pod, Oss, "oss.example.com", "/f", 10 + i * 4000, 3500));
            }

            s.OnMySql(Query(Pod, Db, "SELECT 1", 20000, 5));
        }, ["warning 198.19.249.132 (oss.example.com)"]),
        new("many fast calls to one dependency are not slow", s =>
        {
            for (var i = 0; i < 2000; i++)
            {
                s.OnMySql(Query(Pod, Db, "SELECT 1", i * 10, 1));
            }
        }, []),
        new("slow queries are set aside, so the hidden peer still stands out", s =>
        {
            for (var i = 0; i < 13; i++)
            {
                s.OnMySql(Query(Pod, Db, "CALL business_query()", i * 4100, 4000));
            }

            for (var i = 0; i < 2; i++)
            {
                s.OnHttp(Http(Pod, Oss, "oss.example.com", "/f", 60000 + i * 3000, 2500));
            }
        }, ["warning 198.19.249.132 (oss.example.com)"]),
        new("under a second of waiting is not worth a finding", s =>
            s.OnHttp(Http(Pod, Oss, "oss.example.com", "/f", 0, 900)), []),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void NamesThePeerThatHoldsMostOfThePodsWaiting(AnalyzerCase scenario)
    {
        // When
        var findings = AnalyzerCase.Run(new DependencySlowAnalyzer(), scenario.Context());

        // Then
        Assert.Equal(scenario.Expected, AnalyzerCase.Lines(findings));
        Assert.All(findings, f => Assert.Equal(FindingIds.DependencySlow, f.Id));
    }

    [Fact]
    public void AnAddressFromAnUnexpectedDnsAnswerIsTheCause()
    {
        // Given
        var scenario = new AnalyzerCase("twist 4", s =>
        {
            s.OnDns(Dns(Pod, "198.18.2.10", "oss.example.com", 0, answers: Oss));
            s.OnHttp(Http(Pod, Oss, "oss.example.com", "/report.csv", 10, 3000, frame: 42));
        }, [], Expect);

        // When
        var finding = Assert.Single(AnalyzerCase.Run(new DependencySlowAnalyzer(), scenario.Context()));

        // Then
        Assert.Equal([FindingIds.DnsUnexpectedAnswer], finding.CausedBy);
        Assert.Equal("198.19.249.132 (oss.example.com) holds 100% of the pod's waiting time (3.00 s)", finding.Title);
        Assert.Contains("HTTP GET oss.example.com/report.csv → 200: 3.00 s at 22:13:20.010 (frame 42 in node.pcapng)", finding.Evidence);
        Assert.Contains(finding.Evidence, l => l.StartsWith("the pod got this address from DNS: 198.18.2.10 answered oss.example.com → 198.19.249.132", StringComparison.Ordinal));
        Assert.Contains("kubetriage dns oss.example.com", finding.Remediation);
    }

    [Fact]
    public void AResolverThatAnsweredOnlyAfterReSendsIsCausedByItsLateAnswers()
    {
        // Given: two lookups whose first copy was lost, one re-asked from a new port; the app's own call is fast
        var scenario = new AnalyzerCase("lost DNS", s =>
        {
            s.OnDns(DnsResent(Pod, "198.18.2.10", "oss.example.com", 0));
            var (answered, unanswered) = DnsReasked(Pod, "198.18.2.10", "db.example.com", 6000);
            s.OnDns(answered);
            s.OnDns(unanswered);
            s.OnHttp(Http(Pod, "198.18.3.2", "oss.example.com", "/f", 12_000, 20));
        }, []);

        // When
        var finding = Assert.Single(AnalyzerCase.Run(new DependencySlowAnalyzer(), scenario.Context()));

        // Then: both waits count from the first send
        Assert.Equal([FindingIds.DnsSlowResponse], finding.CausedBy);
        Assert.StartsWith("198.18.2.10 holds 100% of the pod's waiting time (10.0 s)", finding.Title, StringComparison.Ordinal);
        Assert.Contains("2 of its 2 DNS answers came 1.00 s or more after the question was first sent, 2 of them only after a re-send (dns.slow-response)", finding.Evidence);
    }

    [Fact]
    public void WhenSlowQueriesWereSetAsideTheShareSaysItIsOfTheRest()
    {
        // Given: 13 slow queries (52 s) and 5 s of waiting on the object store
        var scenario = new AnalyzerCase("incident", s =>
        {
            for (var i = 0; i < 13; i++)
            {
                s.OnMySql(Query(Pod, Db, "CALL business_query()", i * 4100, 4000));
            }

            for (var i = 0; i < 2; i++)
            {
                s.OnHttp(Http(Pod, Oss, "oss.example.com", "/f", 60000 + i * 3000, 2500));
            }
        }, []);

        // When
        var finding = Assert.Single(AnalyzerCase.Run(new DependencySlowAnalyzer(), scenario.Context()));

        // Then: not "100% of the pod's waiting time" next to 52 s of slow queries
        Assert.Equal("198.19.249.132 (oss.example.com) holds 100% of the pod's waiting time outside slow queries (5.00 s)", finding.Title);
        Assert.StartsWith("the pod waited 5.00 s on 198.19.249.132 (oss.example.com): 100% of its 5.00 s of waiting outside the slow queries (52.0 s, mysql.slow-query)",
            finding.Evidence[0], StringComparison.Ordinal);
    }

    [Fact]
    public void ATransactionTheCaptureMissedBytesOfSaysSo()
    {
        // Given: a download timed across lost segments
        var scenario = new AnalyzerCase("gaps", s =>
            s.OnHttp(Http(Pod, Oss, "oss.example.com", "/object.bin", 10, 2000, frame: 7) with { Gaps = 3 }), []);

        // When
        var finding = Assert.Single(AnalyzerCase.Run(new DependencySlowAnalyzer(), scenario.Context()));

        // Then
        Assert.Contains("HTTP GET oss.example.com/object.bin → 200 (3 capture gaps): 2.00 s at 22:13:20.010 (frame 7 in node.pcapng)", finding.Evidence);
    }
}
