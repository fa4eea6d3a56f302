using KubeTriage.Capture.Protocols.Http;
using KubeTriage.Findings;
using KubeTriage.Lab;

namespace KubeTriage.Tests.Lab;

/// <summary>
/// HTTP/2 in clear text and gRPC on the wire: a client namespace (the pod, 198.19.226.2) and a server namespace
/// (198.19.226.3) on one link, tcpdump on the client's NIC. The server (<c>tests/lab/h2/server.py</c>) is an HTTP/2
/// server on port 50051 written with python3-h2 (a real HTTP/2 and HPACK implementation): for gRPC it answers <c>/shop.Orders/Get</c> with OK in trailers,
/// <c>/shop.Orders/Pay</c> with a trailers-only UNAVAILABLE (as a proxy without a healthy upstream does),
/// <c>/shop.Orders/Track</c> with UNIMPLEMENTED in trailers, never answers <c>/shop.Orders/Slow</c> (the client cancels it
/// with RST_STREAM CANCEL when its 0.5 s deadline passes), and resets <c>/shop.Orders/Gone</c> with REFUSED_STREAM;
/// for plain HTTP/2 it answers <c>/health</c> with 503 and <c>/ok</c> with 200. The gRPC calls are made by a python3-h2
/// client (<c>tests/lab/h2/grpc-client.py</c>), all on one connection at once; the plain requests by curl (nghttp2) with prior knowledge. Addresses are
/// from 198.18.0.0/15 and exist only in the namespaces the test makes and removes.
/// </summary>
public sealed class Http2CaptureTests() : NamespaceLabTest("kth2", "make network namespaces", "ip", "tcpdump", "python3", "curl")
{
    private const string Client = "198.19.226.2";
    private const string Server = "198.19.226.3";
    private const string Authority = "orders.shop.svc.cluster.local:50051";

    private static string Script(string name) => Path.Combine(TestPaths.RepoRoot, "tests", "lab", "h2", name);

    protected override async Task Build()
    {
        if (await Http2Python() is null)
        {
            SkipReason = "python3-h2 is not installed (./test.sh installs it)";
            return;
        }

        await Namespaces.AddPair("c", Client, "s", Server);
    }

    [SkippableFact]
    public async Task GrpcStatusesAndHttp2ErrorsAreReadFromTheCapture()
    {
        Skip.If(SkipReason is not null, SkipReason);

        // Given: the HTTP/2 server answers (checked before the capture)
        var python = (await Http2Python())!;
        await using var server = await StartServer(python);
        var pcap = Path.Combine(Temp.FullName, "c0.pcap");

        // When: eight gRPC calls on one connection with a 0.5 s deadline, then two plain HTTP/2 requests with curl
        ExecResult calls, health, ok;
        await using (var capture = await LabCapture.Start(ClientNs, "c0", pcap))
        {
            calls = await ProcessRunner.Run(Tools.Ip, ["netns", "exec", ClientNs, python, Script("grpc-client.py"), Server, Authority, "0.5",
                "/shop.Orders/Get", "/shop.Orders/Pay", "/shop.Orders/Get", "/shop.Orders/Track", "/shop.Orders/Pay", "/shop.Orders/Gone", "/shop.Orders/Get", "/shop.Orders/Slow"]);
            health = await ProcessRunner.Run(Tools.Ip, ["netns", "exec", ClientNs, "curl", "-sS", "-o", "/dev/null", "--http2-prior-knowledge", "--max-time", "5", $"http://{Server}:50051/health"]);
            ok = await ProcessRunner.Run(Tools.Ip, ["netns", "exec", ClientNs, "curl", "-sS", "-o", "/dev/null", "--http2-prior-knowledge", "--max-time", "5", $"http://{Server}:50051/ok"]);
        }

        var (evidence, findings) = LabCaptureAnalysis.Analyze(pcap, Client);

        // Then: the client saw what the server sent
        Assert.True(calls.Succeeded, calls.ToString());
        Assert.Equal("0 14 0 12 14 reset 0 cancelled", calls.StdOut.Trim());
        Assert.True(health.Succeeded && ok.Succeeded, $"{health}\n{ok}");

        // And: every stream is a transaction with what the server answered
        var grpc = evidence.Http.Where(t => t.Grpc).OrderBy(t => t.StreamId).ToList();
        Assert.Equal(8, grpc.Count);
        Assert.All(evidence.Http, t => Assert.Equal(HttpTransaction.Http2, t.Version));
        Assert.All(grpc, t => Assert.Equal(("POST", Authority), (t.Method, t.Host)));
        Assert.Equal(["/shop.Orders/Get", "/shop.Orders/Pay", "/shop.Orders/Get", "/shop.Orders/Track", "/shop.Orders/Pay", "/shop.Orders/Gone", "/shop.Orders/Get", "/shop.Orders/Slow"],
            grpc.Select(t => t.Path));
        Assert.Equal(new int?[] { 0, 14, 0, 12, 14, null, 0, null }, grpc.Select(t => t.GrpcStatus));
        Assert.Equal("unknown method Track (v2 only)", grpc[3].GrpcMessage);
        Assert.Equal("no healthy upstream", grpc[1].GrpcMessage);
        Assert.Equal((7u, false, (int?)null), (grpc[5].ResetCode!.Value, grpc[5].ResetByClient, grpc[5].Status));
        Assert.Equal((8u, true, (int?)null), (grpc[7].ResetCode!.Value, grpc[7].ResetByClient, grpc[7].Status));
        Assert.InRange(grpc[7].ResetTimeNs!.Value - grpc[7].RequestTimeNs, 450_000_000, 2_000_000_000);
        Assert.All(grpc.Where(t => t.ResetCode is null), t => Assert.Equal(200, t.Status));
        Assert.All(grpc.Where(t => t.ResetCode is null), t => Assert.True(t.LastByteTimeNs >= t.RequestTimeNs));
        var plain = evidence.Http.Where(t => !t.Grpc).OrderBy(t => t.RequestTimeNs).ToList();
        Assert.Equal([("GET", "/health", (int?)503), ("GET", "/ok", 200)], plain.Select(t => (t.Method, t.Path, t.Status)));

        // And: the failed calls and the 503 are findings
        var failed = Assert.Single(findings, f => f.Id == FindingIds.GrpcErrorStatus);
        Assert.Equal(Severity.Warning, failed.Severity);
        Assert.Equal($"gRPC calls to {Authority} failed: UNAVAILABLE, cancelled by the client unanswered, UNIMPLEMENTED (4 of 7)", failed.Title);
        Assert.Equal($"4 failed calls of 7 gRPC calls from {Client} to {Server}:50051, authority {Authority} that were answered or cancelled", failed.Evidence[0]);
        Assert.StartsWith("UNAVAILABLE (14) × 2, ", failed.Evidence[1], StringComparison.Ordinal);
        Assert.StartsWith("cancelled by the client before any answer (RST_STREAM CANCEL: its deadline passed) × 1, at ", failed.Evidence[2], StringComparison.Ordinal);
        Assert.StartsWith("UNIMPLEMENTED (12) × 1, at ", failed.Evidence[3], StringComparison.Ordinal);
        Assert.Equal("other calls: OK × 3", failed.Evidence[4]);
        Assert.Matches(@"^/shop\.Orders/Pay at \S+ \(frame \d+ in c0\.pcap\), UNAVAILABLE ""no healthy upstream"" after \S+ m?s \(frame \d+\)$", failed.Evidence[5]);
        Assert.Matches(@"^/shop\.Orders/Slow at \S+ \(frame \d+ in c0\.pcap\), cancelled by the client after \d+(\.\d+)? m?s without an answer$", failed.Evidence[6]);
        Assert.Contains("grpcurl -plaintext " + Authority, failed.Remediation, StringComparison.Ordinal);
        var http = Assert.Single(findings, f => f.Id == FindingIds.HttpErrorStatus);
        Assert.Equal($"http://{Server}:50051 answered 503 Service Unavailable to 1 of 2 requests", http.Title);
    }

    [SkippableFact]
    public async Task AConnectionTheCaptureJoinedLateIsReadFromItsFrames()
    {
        Skip.If(SkipReason is not null, SkipReason);

        // Given: the client's first calls (Get, Pay) fill both sides' HPACK tables before tcpdump starts
        var python = (await Http2Python())!;
        await using var server = await StartServer(python);
        var pcap = Path.Combine(Temp.FullName, "late.pcap");
        var go = Path.Combine(Temp.FullName, "go");
        var client = ProcessRunner.Run(Tools.Ip, ["netns", "exec", ClientNs, python, Script("grpc-client.py"), Server, Authority, "0.5",
            "/shop.Orders/Get", "/shop.Orders/Pay", "--then", go, "/shop.Orders/Get", "/shop.Orders/Pay", "/shop.Orders/Track", "/shop.Orders/Slow"]);
        for (var i = 0; i < 200 && !File.Exists(go + ".waiting") && !client.IsCompleted; i++)
        {
            await Task.Delay(50);
        }

        Assert.True(File.Exists(go + ".waiting"), "the client did not finish its first calls");

        // When: tcpdump joins the connection, then the client makes four more calls on it
        ExecResult calls;
        await using (var capture = await LabCapture.Start(ClientNs, "c0", pcap))
        {
            await File.WriteAllTextAsync(go, "go");
            calls = await client;
        }

        var (evidence, findings) = LabCaptureAnalysis.Analyze(pcap, Client);

        // Then: the client saw what the server sent
        Assert.True(calls.Succeeded, calls.ToString());
        Assert.Equal("0 14 0 14 12 cancelled", calls.StdOut.Trim());

        // And: the capture has no preface, yet the four calls are HTTP/2 streams of a gRPC connection (its DATA frames
        // carry gRPC messages); fields the tables held from before are unknown, new ones (Track's and Slow's paths) are read
        var calls2 = evidence.Http.OrderBy(t => t.StreamId).ToList();
        Assert.Equal(4, calls2.Count);
        Assert.All(calls2, t => Assert.Equal((HttpTransaction.Http2, true, "POST", Client, Server), (t.Version, t.Grpc, t.Method, t.Client.Address.ToString(), t.Server.Address.ToString())));
        Assert.Equal(["?", "?", "/shop.Orders/Track", "/shop.Orders/Slow"], calls2.Select(t => t.Path));
        Assert.Equal(new int?[] { 200, 200, 200, null }, calls2.Select(t => t.Status));
        Assert.True(calls2[0].HeadersUnreadable && calls2[1].HeadersUnreadable);
        Assert.Equal((8u, true), (calls2[3].ResetCode!.Value, calls2[3].ResetByClient));

        // And: the cancelled call is a failed one; the statuses the capture cannot read are said as such
        var failed = Assert.Single(findings, f => f.Id == FindingIds.GrpcErrorStatus);
        Assert.Contains(failed.Evidence, l => l.StartsWith("cancelled by the client before any answer", StringComparison.Ordinal));
        Assert.Contains(failed.Evidence, l => l.StartsWith("other calls: ", StringComparison.Ordinal) && l.Contains("status unreadable", StringComparison.Ordinal));
    }

    /// <summary>Starts <c>tests/lab/h2/server.py</c> in the server's namespace and waits until curl gets an answer from it.</summary>
    private async Task<NamespaceHttpServer> StartServer(string python)
    {
        var server = NamespaceHttpServer.StartProgram(ServerNs, python, Script("server.py"), Server);
        var ready = await TestNamespaces.Retry(Tools.Ip, "netns", "exec", ClientNs, "curl", "-sS", "-o", "/dev/null", "--http2-prior-knowledge", "--max-time", "2", $"http://{Server}:50051/ok");
        if (!ready.Succeeded)
        {
            await server.DisposeAsync();
            Assert.Fail($"the HTTP/2 server did not answer: {ready}");
        }

        return server;
    }

    /// <summary>A python3 that can import h2 (Debian's python3-h2 lives in /usr/bin/python3's path), or null.</summary>
    private static async Task<string?> Http2Python()
    {
        foreach (var python in new[] { "/usr/bin/python3", "python3" })
        {
            var probe = await ProcessRunner.Run(python, ["-c", "import h2.connection"]);
            if (probe.Succeeded)
            {
                return python;
            }
        }

        return null;
    }
}
