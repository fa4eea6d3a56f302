using System.Globalization;
using KubeTriage.Findings;
using KubeTriage.Lab;

namespace KubeTriage.Tests.Lab;

/// <summary>
/// A client without connection reuse: a client namespace (the pod, 198.19.229.2) and a server namespace (198.19.229.3)
/// on one link, tcpdump on the client's NIC. The client opens 400 connections one after another, one request and its
/// answer on each; a second client keeps one connection for 400 requests (not reported). Addresses are from
/// 198.18.0.0/15 and exist only in the namespaces the test makes and removes.
/// </summary>
public sealed class ConnectionChurnCaptureTests() : NamespaceLabTest("ktchurn", "make network namespaces", "ip", "tcpdump", "python3")
{
    private const string Client = "198.19.229.2";
    private const string Server = "198.19.229.3";
    private const int Requests = 400;

    /// <summary>Answers "pong" to every "ping" line on argv[1]:7000 and 7001, one thread per connection, until the client closes.</summary>
    private const string ServerScript = """
        import socket, sys, threading

        def serve(c):
            f = c.makefile('rb')
            for line in f:
                c.sendall(b'pong\n')
            c.close()

        def listen(port):
            s = socket.socket()
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((sys.argv[1], port))
            s.listen(64)
            while True:
                c, _ = s.accept()
                threading.Thread(target=serve, args=(c,), daemon=True).start()

        for port in (7000, 7001):
            threading.Thread(target=listen, args=(port,), daemon=True).start()
        threading.Event().wait()
        """;

    /// <summary>Arguments: address, port, requests, "new" (a connection per request) or "keep" (one for all).</summary>
    private const string ClientScript = """
        import socket, sys
        host, port, n, mode = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
        c = None
        for i in range(n):
            if c is None:
                c = socket.create_connection((host, port), timeout=5)
                f = c.makefile('rb')
            c.sendall(b'ping\n')
            f.readline()
            if mode == 'new':
                c.close()
                c = None
        if c is not None:
            c.close()
        print(n)
        """;

    protected override async Task Build()
    {
        await Namespaces.AddPair("c", Client, "s", Server);
    }

    [SkippableFact]
    public async Task AClientThatOpensAConnectionPerRequestIsFoundAndAPooledOneIsNot()
    {
        Skip.If(SkipReason is not null, SkipReason);

        // Given: the server answers (checked before the capture)
        await using var server = NamespaceHttpServer.StartScript(ServerNs, ServerScript, Server);
        var ready = await TestNamespaces.Retry(Tools.Ip, "netns", "exec", ClientNs, "python3", "-c", ClientScript, Server, "7001", "1", "keep");
        Assert.True(ready.Succeeded, ready.ToString());
        var pcap = Path.Combine(Temp.FullName, "c0.pcap");

        // When: 400 requests on 400 connections to 7000, 400 requests on one connection to 7001
        ExecResult churning, pooled;
        await using (var capture = await LabCapture.Start(ClientNs, "c0", pcap, "tcp"))
        {
            var count = Requests.ToString(CultureInfo.InvariantCulture);
            churning = await ProcessRunner.Run(Tools.Ip, ["netns", "exec", ClientNs, "python3", "-c", ClientScript, Server, "7000", count, "new"]);
            pooled = await ProcessRunner.Run(Tools.Ip, ["netns", "exec", ClientNs, "python3", "-c", ClientScript, Server, "7001", count, "keep"]);
        }

        var (_, findings) = LabCaptureAnalysis.Analyze(pcap, Client);

        // Then
        Assert.True(churning.Succeeded && pooled.Succeeded, churning + "\n" + pooled);
        var finding = Assert.Single(findings, f => f.Id == FindingIds.TcpConnectionChurn);
        Assert.Equal($"{Server}:7000", finding.Subject);
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.StartsWith($"400 connections from the pod to {Server}:7000 opened between ", finding.Evidence[0], StringComparison.Ordinal);
        Assert.Matches(@"^each connection open \S+ (µs|ms) on average, with 1\.0 request/response turns", finding.Evidence[1]);
        Assert.Contains("keep-alive", finding.Remediation, StringComparison.Ordinal);
    }
}
