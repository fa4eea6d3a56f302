using KubeTriage.Findings;
using KubeTriage.Lab;

namespace KubeTriage.Tests.Lab;

/// <summary>
/// A dependency that answers errors, over real HTTP: a client namespace (the pod, 198.19.233.2), a node namespace
/// routing between it and a server namespace (198.19.232.2), and <c>tcpdump -i any</c> on the node. The server is a
/// python3 <c>BaseHTTPRequestHandler</c> that answers 503 to <c>/api/orders</c> and 200 to other paths for Host
/// api.lab, and 429 to everything for Host inventory.lab; curl in the client asks both a handful of times.
/// Addresses are from 198.18.0.0/15 and exist only in the namespaces the test makes and removes.
/// </summary>
public sealed class HttpErrorCaptureTests() : NamespaceLabTest("kthttp", "make network namespaces", "ip", "tcpdump", "python3", "curl")
{
    private const string Client = "198.19.233.2";
    private const string Server = "198.19.232.2";
    private const int Port = 8080;

    private const string ServerScript = """
        import sys
        from http.server import BaseHTTPRequestHandler, HTTPServer

        class Handler(BaseHTTPRequestHandler):
            protocol_version = 'HTTP/1.1'

            def do_GET(self):
                host = (self.headers.get('Host') or '').split(':')[0]
                if host == 'inventory.lab':
                    status, body = 429, b'slow down\n'
                elif self.path.startswith('/api/orders'):
                    status, body = 503, b'no healthy upstream\n'
                else:
                    status, body = 200, b'ok\n'
                self.send_response(status)
                if status == 429:
                    self.send_header('Retry-After', '30')
                self.send_header('Content-Type', 'text/plain')
                self.send_header('Content-Length', str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        HTTPServer((sys.argv[1], int(sys.argv[2])), Handler).serve_forever()
        """;

    private string NodeNs => Namespaces.Name("n");

    protected override async Task Build()
    {
        await Namespaces.AddRouted("c", Client, "n", "s", Server);
    }

    [SkippableFact]
    public async Task ServerErrorsAndRateLimitingAreRaisedPerHostWithTheirCounts()
    {
        Skip.If(SkipReason is not null, SkipReason);

        // Given: the server answers (checked before the capture starts, so no refused connect is recorded)
        var pcap = Path.Combine(Temp.FullName, "any.pcap");
        await using var server = NamespaceHttpServer.StartScript(ServerNs, ServerScript, Server, Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var ready = await NamespaceHttpServer.Fetch(ClientNs, $"http://{Server}:{Port}/health");
        Assert.True(ready.Succeeded, ready.ToString());

        // When: 4 orders (503) and 6 health checks (200) from api.lab, 3 stock checks (429) from inventory.lab
        var statuses = new List<string>();
        await using (var capture = await LabCapture.Start(NodeNs, "any", pcap))
        {
            foreach (var (host, path, times) in new[] { ("api.lab", "/health", 3), ("api.lab", "/api/orders/17", 4), ("inventory.lab", "/stock/17", 3), ("api.lab", "/health", 3) })
            {
                for (var i = 0; i < times; i++)
                {
                    statuses.Add(await Get(host, path));
                }
            }
        }

        var (_, findings) = LabCaptureAnalysis.Analyze(pcap, Client);

        // Then
        Assert.Equal(["200", "200", "200", "503", "503", "503", "503", "429", "429", "429", "200", "200", "200"], statuses);
        var errors = findings.Where(f => f.Id == FindingIds.HttpErrorStatus).ToList();
        Assert.Equal(2, errors.Count);
        var api = Assert.Single(errors, f => f.Subject == $"{Server}:{Port} (api.lab:{Port})");
        Assert.Equal(Severity.Warning, api.Severity);
        Assert.Equal($"http://api.lab:{Port} answered 503 Service Unavailable to 4 of 10 requests", api.Title);
        Assert.StartsWith("503 Service Unavailable × 4, first at ", api.Evidence[1], StringComparison.Ordinal);
        Assert.Equal("other responses: 6 below 400", api.Evidence[2]);
        Assert.Matches(@"^GET /api/orders/17 at \d\d:\d\d:\d\d\.\d{3} \(frame \d+ in any\.pcap\), 503 after [\d.]+ (µs|ms) \(frame \d+\)$", api.Evidence[3]);
        Assert.Contains($"kubectl get svc,endpointslices -A -o wide | grep -w {Server}", api.Remediation, StringComparison.Ordinal);
        Assert.Contains($"curl -sv -o /dev/null 'http://api.lab:{Port}/api/orders/17'", api.Remediation, StringComparison.Ordinal);
        var inventory = Assert.Single(errors, f => f.Subject == $"{Server}:{Port} (inventory.lab:{Port})");
        Assert.Equal(Severity.Critical, inventory.Severity);
        Assert.Equal($"http://inventory.lab:{Port} answered 429 Too Many Requests to 3 of 3 requests", inventory.Title);
        Assert.StartsWith($"429: {Server}:{Port} rate-limits the pod (3 requests refused in ", inventory.Remediation, StringComparison.Ordinal);
        Assert.DoesNotContain(findings, f => f.Id is FindingIds.TcpConnectRefused or FindingIds.TcpConnectNoReply);
    }

    /// <summary>One GET from the client namespace, naming <paramref name="host"/> (resolved to the server by curl itself); returns the status.</summary>
    private async Task<string> Get(string host, string path)
    {
        var result = await ProcessRunner.Run(Tools.Ip, ["netns", "exec", ClientNs, "curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "5",
            "--resolve", $"{host}:{Port}:{Server}", $"http://{host}:{Port}{path}"]);
        Assert.True(result.Succeeded, result.ToString());
        return result.StdOut.Trim();
    }
}
