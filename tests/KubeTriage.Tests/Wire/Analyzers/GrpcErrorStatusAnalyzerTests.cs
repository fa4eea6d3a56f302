using KubeTriage.Capture;
using KubeTriage.Findings;
using KubeTriage.Wire.Analyzers;
using static KubeTriage.Tests.Wire.Synthetic;

namespace KubeTriage.Tests.Wire.Analyzers;

public class GrpcErrorStatusAnalyzerTests
{
    private const string Pod = AnalyzerCase.Pod;
    private const string Orders = "198.18.2.40";
    private const string Authority = "orders.shop:50051";

    public static TheoryData<AnalyzerCase> Cases => new()
    {
        new("OK calls raise nothing", s => Calls(s, 0, 5), []),
        new("statuses that answer the call raise nothing", s =>
        {
            Calls(s, 5, 2); // NOT_FOUND
            Calls(s, 3, 1, atMs: 100); // INVALID_ARGUMENT
            Calls(s, 1, 1, atMs: 200); // CANCELLED: the client's own doing
            Calls(s, 0, 3, atMs: 300);
        }, []),
        new("only UNAVAILABLE is critical", s => Calls(s, 14, 3), ["critical 198.18.2.40:50051 (orders.shop:50051)"]),
        new("DEADLINE_EXCEEDED among OK calls is a warning", s =>
        {
            Calls(s, 4, 2);
            Calls(s, 0, 8, atMs: 100);
        }, ["warning 198.18.2.40:50051 (orders.shop:50051)"]),
        new("a NOT_FOUND beside INTERNALs keeps it a warning", s =>
        {
            Calls(s, 13, 2);
            Calls(s, 5, 1, atMs: 100);
        }, ["warning 198.18.2.40:50051 (orders.shop:50051)"]),
        new("one finding per server endpoint and authority", s =>
        {
            Calls(s, 14, 1);
            Calls(s, 12, 1, authority: "payments.shop:50051", atMs: 100);
        }, ["critical 198.18.2.40:50051 (orders.shop:50051)", "critical 198.18.2.40:50051 (payments.shop:50051)"]),
        new("calls the pod serves are not its dependency's", s =>
        {
            for (var i = 0; i < 3; i++)
            {
                s.OnHttp(Grpc("198.18.0.10", Pod, "pod.shop:50051", "/pod.Api/Do", i * 10, 2, 14));
            }
        }, []),
        new("plain HTTP/2 without grpc-status is not this finding", s =>
            s.OnHttp(Http(Pod, Orders, Authority, "/x", 0, 2, status: 503, port: 50051) with { Version = Capture.Protocols.Http.HttpTransaction.Http2 }), []),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void RaisesOneFindingPerServerAndAuthorityWithFailedCalls(AnalyzerCase scenario)
    {
        // When
        var findings = AnalyzerCase.Run(new GrpcErrorStatusAnalyzer(), scenario.Context());

        // Then
        Assert.Equal(scenario.Expected, AnalyzerCase.Lines(findings));
        Assert.All(findings, f => Assert.Equal(FindingIds.GrpcErrorStatus, f.Id));
    }

    [Fact]
    public void TitleEvidenceAndFixNameTheStatusesTheCallsAndTheMessages()
    {
        // Given: 4 of 10 calls UNAVAILABLE, 1 UNIMPLEMENTED, 1 NOT_FOUND, the rest OK; records arrive latest first
        var scenario = new AnalyzerCase("unavailable", s =>
        {
            for (var i = 9; i >= 0; i--)
            {
                var status = i < 4 ? 14 : i == 4 ? 12 : i == 5 ? 5 : 0;
                var message = status == 14 ? "no healthy upstream" : status == 12 ? "unknown method Track" : null;
                var method = status == 12 ? "/shop.Orders/Track" : "/shop.Orders/Get";
                s.OnHttp(Grpc(Pod, Orders, Authority, method, 100 * i, 3, status, message, frame: 10 + (i * 10), stream: (2 * i) + 1));
            }
        }, []);

        // When
        var finding = Assert.Single(AnalyzerCase.Run(new GrpcErrorStatusAnalyzer(), scenario.Context()));

        // Then
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Equal("gRPC calls to orders.shop:50051 failed: UNAVAILABLE, UNIMPLEMENTED (5 of 10)", finding.Title);
        Assert.Equal("198.18.2.40:50051 (orders.shop:50051)", finding.Subject);
        Assert.Equal(
        [
            "5 failed calls of 10 gRPC calls from 198.18.1.20 to 198.18.2.40:50051, authority orders.shop:50051 that were answered or cancelled",
            "UNAVAILABLE (14) × 4, first at 22:13:20.000, last at 22:13:20.300",
            "UNIMPLEMENTED (12) × 1, at 22:13:20.400",
            "other calls: OK × 4, NOT_FOUND × 1",
            "/shop.Orders/Get at 22:13:20.000 (frame 10 in node.pcapng), UNAVAILABLE \"no healthy upstream\" after 3 ms (frame 12)",
            "/shop.Orders/Track at 22:13:20.400 (frame 50 in node.pcapng), UNIMPLEMENTED \"unknown method Track\" after 3 ms (frame 52)",
            "/shop.Orders/Get at 22:13:20.100 (frame 20 in node.pcapng), UNAVAILABLE \"no healthy upstream\" after 3 ms (frame 22)",
        ], finding.Evidence);
        Assert.Contains("kubectl get svc,endpointslices -A -o wide | grep -w 198.18.2.40", finding.Remediation);
        Assert.Contains("UNIMPLEMENTED: the server has no such method", finding.Remediation);
        Assert.Contains("grpcurl -plaintext orders.shop:50051 describe shop.Orders.Get", finding.Remediation);
        Assert.DoesNotContain("DEADLINE_EXCEEDED", finding.Remediation);
    }

    [Fact]
    public void EachStatusFamilyHasItsOwnFix()
    {
        // Given
        var scenario = new AnalyzerCase("mixed", s =>
        {
            Calls(s, 4, 1);
            Calls(s, 8, 1, atMs: 100);
            Calls(s, 16, 1, atMs: 200);
            Calls(s, 13, 1, atMs: 300);
        }, []);

        // When
        var finding = Assert.Single(AnalyzerCase.Run(new GrpcErrorStatusAnalyzer(), scenario.Context()));

        // Then
        Assert.Equal(Severity.Critical, finding.Severity);
        Assert.Contains("the call outlived its deadline", finding.Remediation);
        Assert.Contains("RESOURCE_EXHAUSTED: a limit was hit", finding.Remediation);
        Assert.Contains("UNAUTHENTICATED/PERMISSION_DENIED", finding.Remediation);
        Assert.Contains("INTERNAL/UNKNOWN/DATA_LOSS", finding.Remediation);
        Assert.DoesNotContain("UNAVAILABLE:", finding.Remediation);
    }

    [Fact]
    public void CallsTheClientCancelledUnansweredAreItsDeadlinePassing()
    {
        // Given: 2 calls cancelled by the client (RST_STREAM CANCEL) 1 s after they were sent, without any answer; 1 OK;
        // and 1 cancelled after its response began, which is not counted as unanswered
        var scenario = new AnalyzerCase("deadline", s =>
        {
            s.OnHttp(Cancelled(0, frame: 10, stream: 1));
            s.OnHttp(Cancelled(100, frame: 20, stream: 3));
            s.OnHttp(Grpc(Pod, Orders, Authority, "/shop.Orders/Get", 200, 2, 0, frame: 30, stream: 5));
            s.OnHttp(Cancelled(300, frame: 40, stream: 7) with { Status = 200, FirstByteTimeNs = At(350) });
        }, []);

        // When
        var finding = Assert.Single(AnalyzerCase.Run(new GrpcErrorStatusAnalyzer(), scenario.Context()));

        // Then
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Equal("gRPC calls to orders.shop:50051 failed: cancelled by the client unanswered (2 of 3)", finding.Title);
        Assert.Equal("cancelled by the client before any answer (RST_STREAM CANCEL: its deadline passed) × 2, first at 22:13:20.000, last at 22:13:20.100", finding.Evidence[1]);
        Assert.Equal("/shop.Orders/Get at 22:13:20.000 (frame 10 in node.pcapng), cancelled by the client after 1.00 s without an answer", finding.Evidence[3]);
        Assert.Contains("DEADLINE_EXCEEDED (or cancelled unanswered", finding.Remediation);
    }

    private static Capture.Protocols.Http.HttpTransaction Cancelled(double atMs, long frame, int stream) =>
        new(At(atMs), Ep(Pod, 51000), Ep(Orders, 50051), "POST", Authority, "/shop.Orders/Get", null, 0, null, null, frame, Synthetic.File)
        {
            Version = Capture.Protocols.Http.HttpTransaction.Http2,
            Grpc = true,
            ResetCode = 8,
            ResetByClient = true,
            ResetTimeNs = At(atMs + 1000),
            StreamId = stream,
        };

    private static void Calls(ICaptureSink sink, int grpcStatus, int count, double atMs = 0, string authority = Authority)
    {
        for (var i = 0; i < count; i++)
        {
            sink.OnHttp(Grpc(Pod, Orders, authority, "/shop.Orders/Get", atMs + (i * 10), 2, grpcStatus, stream: (2 * i) + 1));
        }
    }
}
