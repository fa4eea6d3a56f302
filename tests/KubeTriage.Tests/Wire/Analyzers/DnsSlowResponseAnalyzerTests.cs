using KubeTriage.Capture;
using KubeTriage.Findings;
using KubeTriage.Wire;
using KubeTriage.Wire.Analyzers;
using static KubeTriage.Tests.Wire.Synthetic;

namespace KubeTriage.Tests.Wire.Analyzers;

public class DnsSlowResponseAnalyzerTests
{
    private const string Pod = AnalyzerCase.Pod;
    private const string ClusterDns = "198.18.2.10";

    public static TheoryData<AnalyzerCase> Cases => new()
    {
        new("fast answers raise nothing", s => Fast(s, ClusterDns, 20), []),
        new("one answer after a re-send 5 s later is a warning", s =>
        {
            Fast(s, ClusterDns, 20);
            s.OnDns(DnsResent(Pod, ClusterDns, "example-api.com", 1000));
        }, ["warning DNS server 198.18.2.10"]),
        new("an answer a little under a second raises nothing", s => s.OnDns(Dns(Pod, ClusterDns, "example-api.com", 0, latencyMs: 999)), []),
        new("a slow answer without a re-send is a warning", s => s.OnDns(Dns(Pod, ClusterDns, "example-api.com", 0, latencyMs: 2500)),
            ["warning DNS server 198.18.2.10"]),
        new("a re-send answered within the second raises nothing", s =>
            s.OnDns(DnsResent(Pod, ClusterDns, "example-api.com", 0, resendAfterMs: 200, afterResendMs: 1)), []),
        new("a query never answered is dns.no-response's, not this", s =>
        {
            Fast(s, ClusterDns, 5);
            s.OnDns(Dns(Pod, ClusterDns, "oss.example.com", 100, rcode: null));
        }, []),
        new("late answers to other clients are not the pod's", s =>
        {
            Fast(s, ClusterDns, 5);
            s.OnDns(DnsResent("198.18.1.21", ClusterDns, "example-api.com", 0));
        }, []),
        new("a question re-asked from a new port counts from its first send", s =>
        {
            var (answered, unanswered) = DnsReasked(Pod, ClusterDns, "example-api.com", 0);
            s.OnDns(answered);
            s.OnDns(unanswered);
        }, ["warning DNS server 198.18.2.10"]),
        new("each slow resolver is named", s =>
        {
            s.OnDns(DnsResent(Pod, "198.18.2.11", "example-api.com", 0));
            s.OnDns(Dns(Pod, "198.18.2.12", "example-api.com", 10, latencyMs: 3000));
            Fast(s, "198.18.2.13", 3);
        }, ["warning DNS server 198.18.2.11", "warning DNS server 198.18.2.12"]),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void RaisesOneWarningPerResolverThatAnsweredLate(AnalyzerCase scenario)
    {
        // When
        var findings = AnalyzerCase.Run(new DnsSlowResponseAnalyzer(), scenario.Context());

        // Then
        Assert.Equal(scenario.Expected, AnalyzerCase.Lines(findings));
        Assert.All(findings, f => Assert.Equal(FindingIds.DnsSlowResponse, f.Id));
    }

    [Fact]
    public void TheConntrackRaceShowsAsAaaaReSentAfterFiveSecondsBesideItsTwin()
    {
        // Given: 40 fast lookups; 4 AAAA queries sent with their A twin from one port, lost, re-sent 5 s later and answered at once
        var scenario = new AnalyzerCase("race", s =>
        {
            Fast(s, ClusterDns, 40);
            for (var i = 0; i < 4; i++)
            {
                s.OnDns(DnsResent(Pod, ClusterDns, $"api{i}.shop.svc.cluster.local", 10_000 + (i * 20_000), type: DnsNames.TypeAaaa, frame: 100 + (i * 10), twin: true));
            }
        }, []);

        // When
        var finding = Assert.Single(AnalyzerCase.Run(new DnsSlowResponseAnalyzer(), scenario.Context()));

        // Then
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Equal("4 of 44 DNS answers from 198.18.2.10 took 5 s or more", finding.Title);
        Assert.Equal(
        [
            "4 of 44 answers from 198.18.2.10 to 198.18.1.20 came 5 s or more after the question was first sent, asked between 22:13:30.000 and 22:14:30.000;"
            + " wait from first send to answer: median 2 ms, p99 5.00 s, longest 5.00 s",
            "all 4 were answered only after the pod sent the query again: re-sent after 5.00 s, then answered within 1 ms: the first query or its answer was lost",
            "all 4 went out together with the name's other address query from one source port, as glibc and musl send A and AAAA (late: 4 AAAA, 0 A):"
            + " the signature of the conntrack insert race on the node, which drops one of the two",
            "api0.shop.svc.cluster.local AAAA at 22:13:30.000 (frame 100 in node.pcapng), sent 2 times, answered 5.00 s later (frame 102)",
            "api1.shop.svc.cluster.local AAAA at 22:13:50.000 (frame 110 in node.pcapng), sent 2 times, answered 5.00 s later (frame 112)",
            "api2.shop.svc.cluster.local AAAA at 22:14:10.000 (frame 120 in node.pcapng), sent 2 times, answered 5.00 s later (frame 122)",
        ], finding.Evidence);
        Assert.Contains("conntrack -S", finding.Remediation);
        Assert.Contains("single-request-reopen", finding.Remediation);
        Assert.Contains("node-local-dns", finding.Remediation);
        Assert.Contains("kubectl -n kube-system get pods -l k8s-app=kube-dns -o wide", finding.Remediation);
        Assert.Contains("kubectl -n kube-system logs -l k8s-app=kube-dns", finding.Remediation);
        Assert.Contains("kubetriage dns api0.shop.svc.cluster.local --resolver 198.18.2.10", finding.Remediation);
    }

    [Fact]
    public void AQuestionReAskedFromANewPortIsLateHereAndItsFirstCopyUnansweredThere()
    {
        // Given: glibc with single-request-reopen and timeout:2: the first query from port 40000 unanswered, re-asked from 40001
        var scenario = new AnalyzerCase("reopen", s =>
        {
            Fast(s, ClusterDns, 10);
            var (answered, unanswered) = DnsReasked(Pod, ClusterDns, "example-api.com", 1000, resendAfterMs: 2000, frame: 50);
            s.OnDns(answered);
            s.OnDns(unanswered);
        }, []);
        var context = scenario.Context();

        // When
        var finding = Assert.Single(AnalyzerCase.Run(new DnsSlowResponseAnalyzer(), context));
        var noResponse = Assert.Single(AnalyzerCase.Run(new DnsNoResponseAnalyzer(), context));

        // Then: the late answer here, the lost first copy there, and each says so
        Assert.Equal("1 of 11 DNS answers from 198.18.2.10 took 2 s or more", finding.Title);
        Assert.Contains("it was answered only after the pod sent the query again: re-sent after 2.00 s, then answered within 1 ms: the first query or its answer was lost",
            finding.Evidence);
        Assert.Contains("the re-send asked again from a new source port or with a new id (glibc single-request-reopen, Go), or after kubetriage's 5 s DNS timeout"
            + " had given the first copy up: the earlier query got no answer and counts in dns.no-response too", finding.Evidence);
        Assert.Contains("example-api.com A at 22:13:21.000 (frame 50 in node.pcapng), sent 2 times (from port 40000, then 40001), answered 2.00 s later (frame 52)",
            finding.Evidence);
        Assert.DoesNotContain(finding.Evidence, l => l.Contains("other quer", StringComparison.Ordinal));
        Assert.Equal(Severity.Warning, noResponse.Severity);
        Assert.Contains("answered elsewhere or later", noResponse.Evidence[1]);
    }

    [Fact]
    public void ASlowResolverIsToldApartFromALostQuery()
    {
        // Given: answers that take 2.5 s, one of them re-sent after 1 s and still answered 1.5 s after the re-send
        var scenario = new AnalyzerCase("slow", s =>
        {
            Fast(s, ClusterDns, 10);
            s.OnDns(Dns(Pod, ClusterDns, "oss.example.com", 1000, latencyMs: 2500, frame: 30));
            s.OnDns(DnsResent(Pod, ClusterDns, "db.example.com", 2000, resendAfterMs: 1000, afterResendMs: 1500, frame: 40));
            s.OnDns(Dns(Pod, ClusterDns, "lost.example.com", 9000, rcode: null, frame: 60));
        }, []);

        // When
        var finding = Assert.Single(AnalyzerCase.Run(new DnsSlowResponseAnalyzer(), scenario.Context()));

        // Then
        Assert.Equal("2 of 12 DNS answers from 198.18.2.10 took 2 s or more", finding.Title);
        Assert.Equal(
        [
            "2 of 12 answers from 198.18.2.10 to 198.18.1.20 came 2 s or more after the question was first sent, asked between 22:13:21.000 and 22:13:22.000;"
            + " wait from first send to answer: median 2 ms, p99 2.50 s, longest 2.50 s",
            "1 of the 2 were answered only after the pod sent the query again: re-sent after 1.00 s, and still answered late after it (up to 1.50 s): the resolver itself was slow",
            "1 of the 2 were late without a re-send: 198.18.2.10 took that long to answer (a slow upstream, an overloaded CoreDNS replica)",
            "oss.example.com A at 22:13:21.000 (frame 30 in node.pcapng), sent once, answered 2.50 s later",
            "db.example.com A at 22:13:22.000 (frame 40 in node.pcapng), sent 2 times, answered 2.50 s later (frame 42)",
            "1 other query to 198.18.2.10 got no answer at all: see dns.no-response",
        ], finding.Evidence);
        Assert.DoesNotContain("single-request-reopen\"", finding.Remediation);
        Assert.Contains("kubectl -n kube-system logs -l k8s-app=kube-dns", finding.Remediation);
    }

    private static void Fast(ICaptureSink sink, string server, int count)
    {
        for (var i = 0; i < count; i++)
        {
            sink.OnDns(Dns(Pod, server, $"n{i}.example.com", i * 10, frame: i + 1));
        }
    }
}
