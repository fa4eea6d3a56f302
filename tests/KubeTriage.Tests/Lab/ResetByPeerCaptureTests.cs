using System.Globalization;
using KubeTriage.Capture;
using KubeTriage.Capture.Protocols;
using KubeTriage.Findings;
using KubeTriage.Lab;
using KubeTriage.Wire;

namespace KubeTriage.Tests.Lab;

/// <summary>
/// A server that drops the pod's connections, for real: a client namespace makes three HTTP connections to a python3
/// server in another namespace over a veth pair, and tcpdump on the client's side records them. On the first the
/// server reads the request and closes with SO_LINGER 0 (a RST) without answering; on the second it answers, closes
/// the idle connection after 1 s (FIN), and the client, keeping the socket as a pool would, sends a second request on
/// it 2 s after the answer and gets RST; the third is answered and closed cleanly. kubetriage finds both shapes and
/// leaves the clean connection out. Addresses are from 198.18.0.0/15 and exist only in the namespaces the test makes.
/// </summary>
public sealed class ResetByPeerCaptureTests() : NamespaceLabTest("ktrst", "make network namespaces", "ip", "tcpdump", "python3")
{
    private const string ClientAddress = "198.19.238.1";
    private const string ServerAddress = "198.19.238.2";
    private const int Port = 9000;

    /// <summary>Serves the three connections in turn; prints what each one did.</summary>
    private const string Server = """
        import socket, struct, sys, time
        answer = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((sys.argv[1], int(sys.argv[2])))
        s.listen(4)
        s.settimeout(20)
        c, _ = s.accept()
        c.settimeout(20)
        c.recv(4096)
        c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        c.close()
        c, _ = s.accept()
        c.settimeout(20)
        c.recv(4096)
        c.sendall(answer)
        time.sleep(1)
        c.close()
        c, _ = s.accept()
        c.settimeout(20)
        c.recv(4096)
        c.sendall(answer)
        while c.recv(4096):
            pass
        c.close()
        print("served 3")
        """;

    /// <summary>Makes the three connections (retrying the first connect while the server starts); prints what each request got.</summary>
    private const string Client = """
        import socket, sys, time
        host, port = sys.argv[1], int(sys.argv[2])
        def connect():
            deadline = time.time() + 10
            while True:
                try:
                    return socket.create_connection((host, port), timeout=10)
                except OSError:
                    if time.time() > deadline:
                        raise
                    time.sleep(0.1)
        def request(path):
            return ("GET %s HTTP/1.1\r\nHost: lab\r\n\r\n" % path).encode()
        def outcome(c):
            try:
                return "answer" if c.recv(4096) else "eof"
            except ConnectionResetError:
                return "reset"
        results = []
        c = connect()
        c.sendall(request("/dropped"))
        results.append(outcome(c))
        c.close()
        c = connect()
        c.sendall(request("/first"))
        results.append(outcome(c))
        time.sleep(2)
        c.sendall(request("/pooled"))
        time.sleep(0.2)
        results.append(outcome(c))
        c.close()
        c = connect()
        c.sendall(request("/clean"))
        results.append(outcome(c))
        c.close()
        print(" ".join(results))
        """;

    protected override async Task Build()
    {
        await Namespaces.Add("c");
        await Namespaces.Add("s");

        await TestNamespaces.Link((ClientNs, "rst0", $"{ClientAddress}/24"), (ServerNs, "rst1", $"{ServerAddress}/24"));
    }

    [SkippableFact]
    public async Task BothShapesOfAServerDroppingTheConnectionAreFoundAndTheCleanCloseIsNot()
    {
        Skip.If(SkipReason is not null, SkipReason);

        // Given: tcpdump on the client's interface, the server dropping one request, closing one idle connection, serving one
        var pcap = Path.Combine(Temp.FullName, "rst0.pcap");
        ExecResult server;
        ExecResult client;
        await using (var capture = await LabCapture.Start(ClientNs, "rst0", pcap))
        {
            var serving = ProcessRunner.Run(Tools.Ip,
                ["netns", "exec", ServerNs, "python3", "-c", Server, ServerAddress, Port.ToString(CultureInfo.InvariantCulture)],
                TimeSpan.FromSeconds(40));
            try
            {
                // When: the client makes its three connections
                client = await ProcessRunner.Run(Tools.Ip,
                    ["netns", "exec", ClientNs, "python3", "-c", Client, ServerAddress, Port.ToString(CultureInfo.InvariantCulture)],
                    TimeSpan.FromSeconds(40));
            }
            finally
            {
                server = await serving;
            }
        }

        Assert.True(server.Succeeded && server.StdOut.Trim() == "served 3", $"server: {server}");
        Assert.True(client.Succeeded, $"client: {client}");
        var results = client.StdOut.Trim().Split(' ');
        Assert.Equal("reset", results[0]);
        Assert.Equal("answer", results[1]);
        Assert.Contains(results[2], new[] { "reset", "eof" });
        Assert.Equal("answer", results[3]);

        var builder = new CaptureEvidenceBuilder();
        Assert.True(CaptureEngine.Run([pcap], builder, new ProtocolRegistry(builder)).Succeeded);
        var evidence = builder.Build();
        var findings = AnalyzerRunner.Run(AnalyzerCatalog.Wire(false), new CaptureContext(evidence), []);

        // Then: one group, three connections that carried a request, one reset of each shape
        Assert.Equal([ClientAddress], evidence.Pod.Ips.Select(ip => ip.ToString()));
        var group = Assert.Single(evidence.TcpGroups);
        Assert.Equal((3L, 1L, 1L), (group.RequestConnections, group.ResetWhileWaiting, group.ResetAfterClose));
        Assert.Equal(2, group.ResetExamples.Count);
        var dropped = Assert.Single(group.ResetExamples, e => !e.Connection.ServerClosedBeforeReset);
        var pooled = Assert.Single(group.ResetExamples, e => e.Connection.ServerClosedBeforeReset);
        Assert.Equal("HTTP GET /dropped", dropped.Request);
        Assert.Equal("HTTP GET /pooled", pooled.Request);
        Assert.InRange(pooled.IdleAtServerCloseNs()!.Value, 900_000_000, 1_900_000_000);
        Assert.InRange(pooled.Connection.IdleBeforeRequestNs!.Value, 1_900_000_000, 3_000_000_000);

        var finding = Assert.Single(findings, f => f.Id == FindingIds.TcpResetByPeer);
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Equal($"{ServerAddress}:{Port} (lab)", finding.Subject);
        Assert.Equal($"{ServerAddress}:{Port} (lab) reset 2 of 3 of the pod's connections while a request waited for its answer (connection reset by peer)", finding.Title);
        Assert.StartsWith($"2 of 3 connections from the pod to {ServerAddress}:{Port} that carried a request were reset by {ServerAddress} before the request was answered", finding.Evidence[0]);
        Assert.Contains(finding.Evidence, line => line.StartsWith("1 reset while the pod waited for the answer", StringComparison.Ordinal));
        Assert.Contains(finding.Evidence, line => line.StartsWith($"1 closed by {ServerAddress} (FIN) after 1.0", StringComparison.Ordinal));
        Assert.DoesNotContain(finding.Evidence, line => line.Contains("/clean", StringComparison.Ordinal));
        Assert.Contains("nf_conntrack_tcp_timeout_established", finding.Remediation);
        Assert.Contains($"kubectl get pods -A -o wide | grep {ServerAddress}", finding.Remediation);
    }
}
