using KubeTriage.Capture;
using KubeTriage.Capture.Flows;
using KubeTriage.Findings;
using KubeTriage.Wire.Analyzers;
using static KubeTriage.Tests.Wire.Synthetic;

namespace KubeTriage.Tests.Wire.Analyzers;

public class TcpRequestTimeoutAnalyzerTests
{
    private const string Pod = AnalyzerCase.Pod;
    private const string Api = "198.18.5.10";

    public static TheoryData<AnalyzerCase> Cases => new()
    {
        new("answered", s => s.OnTcpConnection(Requested(Pod, 40001, Api, 80, 0)), []),
        new("the pod gave up after 5 s on its only request", s => GaveUp(s, Pod, 40001, Api, 80, waitMs: 5_000), ["critical 198.18.5.10:80 (api.lab)"]),
        new("one of two given up on", s =>
        {
            s.OnTcpConnection(Requested(Pod, 40001, Api, 80, 0));
            GaveUp(s, Pod, 40002, Api, 80, waitMs: 5_000);
        }, ["warning 198.18.5.10:80 (api.lab)"]),
        new("closed after half a second is not a timeout", s => GaveUp(s, Pod, 40001, Api, 80, waitMs: 500), []),
        new("no dissector saw a request waiting", s =>
            s.OnTcpConnection(Requested(Pod, 40001, Api, 80, 0) with { ClientGaveUpNs = At(5_010), ClientGaveUpFrame = 9, AbandonedRequestNs = At(10), AbandonedRequestFrame = 4 }), []),
        new("a client of the pod gave up", s => GaveUp(s, "198.18.0.50", 51000, Pod, 8080, waitMs: 3_000), ["critical the pod's port 8080"]),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void RaisesOneFindingPerServer(AnalyzerCase scenario)
    {
        // When
        var findings = AnalyzerCase.Run(new TcpRequestTimeoutAnalyzer(), scenario.Context());

        // Then
        Assert.Equal(scenario.Expected, AnalyzerCase.Lines(findings));
        Assert.All(findings, f => Assert.Equal(FindingIds.TcpRequestTimeout, f.Id));
    }

    [Fact]
    public void EvidenceGivesTheRequestAndHowLongThePodWaited()
    {
        // Given
        var scenario = new AnalyzerCase("timeout", s => GaveUp(s, Pod, 40001, Api, 80, waitMs: 5_000), []);

        // When
        var finding = Assert.Single(AnalyzerCase.Run(new TcpRequestTimeoutAnalyzer(), scenario.Context()));

        // Then
        Assert.Equal("The pod gave up on 1 request to 198.18.5.10:80 after waiting up to 5.00 s: no answer came", finding.Title);
        Assert.Matches(@"^198\.18\.1\.20:40001 → 198\.18\.5\.10:80: HTTP GET /report, sent at \S+ \(frame 4 in node\.pcapng\), reset by the client 5\.00 s later \(frame 9\) without an answer$", finding.Evidence[1]);
        Assert.Contains("kubectl get pods -A -o wide | grep -w 198.18.5.10", finding.Remediation, StringComparison.Ordinal);
    }

    private static TcpConnection Requested(string client, ushort port, string server, ushort serverPort, double atMs) =>
        Connect(client, port, server, serverPort, TcpOutcome.Established, atMs, durationMs: 6_000, protocol: "http") with { DataSegmentsToServer = 1 };

    /// <summary>The HTTP dissector's unanswered request, then the connection the client reset <paramref name="waitMs"/> after it.</summary>
    private static void GaveUp(ICaptureSink sink, string client, ushort port, string server, ushort serverPort, double waitMs)
    {
        sink.OnHttp(HttpUnanswered(client, server, "api.lab", "/report", 10, frame: 4) with { Client = Ep(client, port), Server = Ep(server, serverPort) });
        sink.OnTcpConnection(Requested(client, port, server, serverPort, 0) with
        {
            ClientGaveUpNs = At(10 + waitMs), ClientGaveUpFrame = 9, ClientGaveUpByReset = true, AbandonedRequestNs = At(10), AbandonedRequestFrame = 4,
        });
    }
}
