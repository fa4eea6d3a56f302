using KubeTriage.Capture;
using KubeTriage.Findings;
using KubeTriage.Wire;
using KubeTriage.Wire.Analyzers;
using static KubeTriage.Tests.Wire.Synthetic;

namespace KubeTriage.Tests.Wire.Analyzers;

public class HttpErrorStatusAnalyzerTests
{
    private const string Pod = AnalyzerCase.Pod;
    private const string Api = "198.18.2.30";

    public static TheoryData<AnalyzerCase> Cases => new()
    {
        new("successes raise nothing", s => Responses(s, 200, 5), []),
        new("404 and other client errors raise nothing", s =>
        {
            Responses(s, 404, 3);
            Responses(s, 401, 2, atMs: 100);
            Responses(s, 200, 5, atMs: 200);
        }, []),
        new("only 503s is critical", s => Responses(s, 503, 4), ["critical 198.18.2.30:80 (api.example)"]),
        new("503 among successes is a warning", s =>
        {
            Responses(s, 503, 2);
            Responses(s, 200, 8, atMs: 100);
        }, ["warning 198.18.2.30:80 (api.example)"]),
        new("429 is reported", s =>
        {
            Responses(s, 429, 3);
            Responses(s, 200, 3, atMs: 100);
        }, ["warning 198.18.2.30:80 (api.example)"]),
        new("a 404 beside 500s keeps it a warning", s =>
        {
            Responses(s, 500, 3);
            Responses(s, 404, 1, atMs: 100);
        }, ["warning 198.18.2.30:80 (api.example)"]),
        new("every 5xx and 429 together is critical", s =>
        {
            Responses(s, 502, 2);
            Responses(s, 504, 1, atMs: 100);
            Responses(s, 429, 1, atMs: 200);
        }, ["critical 198.18.2.30:80 (api.example)"]),
        new("one finding per server endpoint and host", s =>
        {
            Responses(s, 503, 2);
            Responses(s, 503, 2, host: "other.example", atMs: 100);
            Responses(s, 500, 1, port: 8080, atMs: 200);
            Responses(s, 200, 1, port: 8080, atMs: 300);
        }, ["critical 198.18.2.30:80 (api.example)", "critical 198.18.2.30:80 (other.example)", "warning 198.18.2.30:8080 (api.example)"]),
        new("the Host's case does not split a server", s =>
        {
            Responses(s, 503, 2);
            Responses(s, 200, 2, host: "API.example", atMs: 100);
        }, ["warning 198.18.2.30:80 (api.example)"]),
        new("requests without a response are not this finding", s =>
        {
            s.OnHttp(HttpUnanswered(Pod, Api, "api.example", "/a", 0));
            s.OnHttp(HttpUnanswered(Pod, Api, "api.example", "/b", 10));
        }, []),
        new("unanswered requests do not count as responses", s =>
        {
            Responses(s, 503, 2);
            s.OnHttp(HttpUnanswered(Pod, Api, "api.example", "/b", 100));
        }, ["critical 198.18.2.30:80 (api.example)"]),
        new("errors the pod sends as a server are not its dependency's", s =>
        {
            for (var i = 0; i < 3; i++)
            {
                s.OnHttp(Http("198.18.0.10", Pod, "pod.example", "/", i * 10, 2, status: 503));
            }
        }, []),
        new("a request without a Host is named by its endpoint", s => Responses(s, 500, 1, host: null), ["critical 198.18.2.30:80"]),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void RaisesOneFindingPerServerAndHostThatAnsweredServerErrors(AnalyzerCase scenario)
    {
        // When
        var findings = AnalyzerCase.Run(new HttpErrorStatusAnalyzer(), scenario.Context());

        // Then
        Assert.Equal(scenario.Expected, AnalyzerCase.Lines(findings));
        Assert.All(findings, f => Assert.Equal(FindingIds.HttpErrorStatus, f.Id));
    }

    [Fact]
    public void TitleAndEvidenceCountTheStatusesAndCiteTheEarliestRequests()
    {
        // Given: 12 of 40 requests answered 503, and 2 answered 404, the rest 200
        var scenario = new AnalyzerCase("503", s =>
        {
            for (var i = 0; i < 40; i++)
            {
                var status = i % 3 == 0 && i < 36 ? 503 : i is 37 or 38 ? 404 : 200;
                s.OnHttp(Http(Pod, Api, "api.example:8080", $"/orders/{i}", 40 * (40 - i), 12, status, frame: 1000 - (i * 10), port: 8080));
            }
        }, []);

        // When
        var finding = Assert.Single(AnalyzerCase.Run(new HttpErrorStatusAnalyzer(), scenario.Context()));

        // Then: the records reach the builder latest first; the examples are the earliest
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Equal("http://api.example:8080 answered 503 Service Unavailable to 12 of 40 requests", finding.Title);
        Assert.Equal("198.18.2.30:8080 (api.example:8080)", finding.Subject);
        Assert.Equal(
        [
            "12 error responses of 40 answered requests from 198.18.1.20 to 198.18.2.30:8080, Host api.example:8080",
            "503 Service Unavailable × 12, first at 22:13:20.280, last at 22:13:21.600",
            "other responses: 26 below 400, 404 Not Found × 2",
            "GET /orders/33 at 22:13:20.280 (frame 670 in node.pcapng), 503 after 6 ms (frame 672)",
            "GET /orders/30 at 22:13:20.400 (frame 700 in node.pcapng), 503 after 6 ms (frame 702)",
            "GET /orders/27 at 22:13:20.520 (frame 730 in node.pcapng), 503 after 6 ms (frame 732)",
        ], finding.Evidence);
        Assert.Contains("kubectl get svc,endpointslices -A -o wide | grep -w 198.18.2.30", finding.Remediation);
        Assert.Contains("kubectl logs -n NAMESPACE POD --since=15m", finding.Remediation);
        Assert.Contains("curl -sv -o /dev/null 'http://api.example:8080/orders/33'", finding.Remediation);
    }

    [Fact]
    public void SeveralStatusesAreListedInOneFindingMostFrequentFirst()
    {
        // Given
        var scenario = new AnalyzerCase("mixed", s =>
        {
            Responses(s, 502, 1);
            Responses(s, 503, 3, atMs: 100);
            Responses(s, 200, 6, atMs: 200);
        }, []);

        // When
        var finding = Assert.Single(AnalyzerCase.Run(new HttpErrorStatusAnalyzer(), scenario.Context()));

        // Then
        Assert.Equal("http://api.example answered 503 Service Unavailable, 502 Bad Gateway to 4 of 10 requests", finding.Title);
        Assert.Equal("503 Service Unavailable × 3, first at 22:13:20.100, last at 22:13:20.120", finding.Evidence[1]);
        Assert.Equal("502 Bad Gateway × 1, first at 22:13:20.000", finding.Evidence[2]);
        Assert.StartsWith("502/503: ", finding.Remediation, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(503, "503: a proxy or the server has no healthy upstream", "kubectl get svc,endpointslices -A -o wide")]
    [InlineData(504, "504: a proxy or the server has no healthy upstream", "kubectl get pods -A -o wide | grep -w 198.18.2.30")]
    [InlineData(500, "500: the backend failed while handling the request", "grep -iE 'error|exception|traceback'")]
    [InlineData(429, "429: 198.18.2.30:80 rate-limits the pod (3 requests refused in 20 ms)", "grep -iE '^< (retry-after|ratelimit|x-ratelimit)'")]
    public void RemediationDependsOnTheStatus(int status, string explanation, string command)
    {
        // Given
        var scenario = new AnalyzerCase($"{status}", s => Responses(s, status, 3), []);

        // When
        var finding = Assert.Single(AnalyzerCase.Run(new HttpErrorStatusAnalyzer(), scenario.Context()));

        // Then
        Assert.StartsWith(explanation, finding.Remediation, StringComparison.Ordinal);
        Assert.Contains(command, finding.Remediation, StringComparison.Ordinal);
        Assert.Contains("curl -sv -o /dev/null 'http://api.example/p0'", finding.Remediation, StringComparison.Ordinal);
    }

    [Fact]
    public void AServiceAddressNamesItsBackendToo()
    {
        // Given: the pod's connections to the Service 198.18.5.10:80 were translated to the backend 198.18.2.30:8080
        var scenario = new AnalyzerCase("nat", s =>
        {
            s.OnTcpConnection(Connect(Pod, 40001, "198.18.5.10", 80, Capture.Flows.TcpOutcome.Established, 0) with { ClientInitialSequence = 7 });
            s.OnTcpConnection(Connect(Pod, 40001, Api, 8080, Capture.Flows.TcpOutcome.Established, 0.1) with { ClientInitialSequence = 7 });
            s.OnHttp(Http(Pod, "198.18.5.10", "api", "/", 1, 2, status: 503));
        }, []);

        // When
        var finding = Assert.Single(AnalyzerCase.Run(new HttpErrorStatusAnalyzer(), scenario.Context()));

        // Then
        Assert.Contains("198.18.5.10 and 198.18.2.30 are one connection before and after NAT on the node (a Service and its backend)", finding.Evidence);
        Assert.Contains("grep -wE '198.18.5.10|198.18.2.30'", finding.Remediation, StringComparison.Ordinal);
    }

    [Fact]
    public void AHostileHostCannotReachTheShellThroughTheCurlCommand()
    {
        // Given: a Host header with a quote and a command substitution
        var scenario = new AnalyzerCase("hostile", s => s.OnHttp(Http(Pod, Api, "x';rm -rf /;'", "/$(id)", 0, 2, status: 500)), []);

        // When
        var finding = Assert.Single(AnalyzerCase.Run(new HttpErrorStatusAnalyzer(), scenario.Context()));

        // Then: the URL keeps only URL characters, so it stays inside its single quotes
        Assert.Contains("curl -sv -o /dev/null 'http://x;rm-rf/;/$(id)'", finding.Remediation, StringComparison.Ordinal);
    }

    private static void Responses(ICaptureSink sink, int status, int count, double atMs = 0, string? host = "api.example", ushort port = 80)
    {
        for (var i = 0; i < count; i++)
        {
            sink.OnHttp(Http(Pod, Api, host!, $"/p{i}", atMs + (i * 10), 2, status, frame: (long)atMs + i + 1, port: port));
        }
    }
}
