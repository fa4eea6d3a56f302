using KubeTriage.Findings;
using KubeTriage.Lab;

namespace KubeTriage.Tests.Lab;

/// <summary>
/// A dependency that accepts a request and never answers it: a client namespace (the pod, 198.19.228.2) and a server
/// namespace (198.19.228.3) on one link, tcpdump on the client's NIC. The server (python3's http.server) answers
/// <c>/health</c> at once and holds <c>/report</c> for 30 s; curl asks for each with a 2 s timeout, so it closes the
/// second connection with the request unanswered. Addresses are from 198.18.0.0/15 and exist only in the namespaces the
/// test makes and removes.
/// </summary>
public sealed class RequestTimeoutCaptureTests() : NamespaceLabTest("kttmo", "make network namespaces", "ip", "tcpdump", "python3", "curl")
{
    private const string Client = "198.19.228.2";
    private const string Server = "198.19.228.3";

    private const string ServerScript = """
        import sys, time
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                if self.path.startswith('/report'):
                    time.sleep(30)
                self.send_response(200)
                self.send_header('Content-Length', '3')
                self.end_headers()
                self.wfile.write(b'ok\n')

            def log_message(self, *args):
                pass

        ThreadingHTTPServer((sys.argv[1], 8080), Handler).serve_forever()
        """;

    protected override async Task Build()
    {
        await Namespaces.AddPair("c", Client, "s", Server);
    }

    [SkippableFact]
    public async Task ARequestThePodGaveUpOnIsFoundWithItsPathAndWait()
    {
        Skip.If(SkipReason is not null, SkipReason);

        // Given: the server answers /health (checked before the capture)
        await using var server = NamespaceHttpServer.StartScript(ServerNs, ServerScript, Server);
        var ready = await NamespaceHttpServer.Fetch(ClientNs, $"http://{Server}:8080/health");
        Assert.True(ready.Succeeded, ready.ToString());
        var pcap = Path.Combine(Temp.FullName, "c0.pcap");

        // When: /health, then /report with a 2 s timeout
        ExecResult health, report;
        await using (var capture = await LabCapture.Start(ClientNs, "c0", pcap))
        {
            health = await ProcessRunner.Run(Tools.Ip, ["netns", "exec", ClientNs, "curl", "-sS", "-o", "/dev/null", "--max-time", "2", $"http://{Server}:8080/health"]);
            report = await ProcessRunner.Run(Tools.Ip, ["netns", "exec", ClientNs, "curl", "-sS", "-o", "/dev/null", "--max-time", "2", $"http://{Server}:8080/report?day=1"]);
        }

        var (_, findings) = LabCaptureAnalysis.Analyze(pcap, Client);

        // Then: curl timed out on the second, and that request is found with the 2 s it waited
        Assert.True(health.Succeeded, health.ToString());
        Assert.Equal(28, report.ExitCode); // curl: operation timed out
        var finding = Assert.Single(findings, f => f.Id == FindingIds.TcpRequestTimeout);
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Matches($@"^The pod gave up on 1 request to {Server.Replace(".", @"\.")}:8080 after waiting up to 2\.\d\d s: no answer came$", finding.Title);
        Assert.StartsWith($"1 of 2 connections from the pod to {Server}:8080 that carried a request were closed or reset by the client with the request unanswered", finding.Evidence[0], StringComparison.Ordinal);
        Assert.Matches(@"GET /report\?day=1, sent at \S+ \(frame \d+ in c0\.pcap\), closed by the client 2\.\d\d s later \(frame \d+\) without an answer$", finding.Evidence[1]);
    }
}
