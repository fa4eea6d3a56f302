using System.Globalization;
using KubeTriage.Findings;
using KubeTriage.Lab;

namespace KubeTriage.Tests.Lab;

/// <summary>
/// Connects that succeed only after the SYN is sent again: a client namespace (the pod, 198.19.250.2), a node namespace
/// routing to a server namespace (198.19.251.2), and <c>tcpdump -i any</c> on the node. An nft rule in the server drops
/// the first SYN to port 9000 (the SYN lost); one in the client drops the first two SYN-ACKs from port 9001 (the
/// SYN-ACK reached the node, not the pod). The client's kernel sends its SYN again after 1 s both times. Addresses are
/// from 198.18.0.0/15 and exist only in the namespaces the test makes and removes.
/// </summary>
public sealed class ConnectRetriedCaptureTests() : NamespaceLabTest("ktsyn", "make network namespaces and nft rules", "ip", "nft", "tcpdump", "python3")
{
    private const string Client = "198.19.250.2";
    private const string Server = "198.19.251.2";

    private const string ServerScript = """
        import socket, sys, threading

        def serve(port):
            s = socket.socket()
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((sys.argv[1], port))
            s.listen(8)
            while True:
                c, _ = s.accept()
                c.sendall(b"hello\n")
                c.close()

        for port in (9000, 9001):
            threading.Thread(target=serve, args=(port,), daemon=True).start()
        threading.Event().wait()
        """;

    /// <summary>Arguments: address, port. Connects, reads the greeting, prints how long the connect took in seconds.</summary>
    private const string ClientScript = """
        import socket, sys, time
        start = time.time()
        c = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=10)
        took = time.time() - start
        c.recv(100)
        c.close()
        print("%.2f" % took)
        """;

    private string NodeNs => Namespaces.Name("n");

    protected override async Task Build()
    {
        await Namespaces.AddRouted("c", Client, "n", "s", Server);
    }

    [SkippableFact]
    public async Task ALostSynAndALostSynAckAreFoundWithTheSecondTheyCost()
    {
        Skip.If(SkipReason is not null, SkipReason);

        // Given: the servers answer (checked before the rules and the capture), then the rules that drop
        await using var server = NamespaceHttpServer.StartScript(ServerNs, ServerScript, Server);
        foreach (var port in new[] { 9000, 9001 })
        {
            var probe = await TestNamespaces.Retry(Tools.Ip, "netns", "exec", ClientNs, "python3", "-c", ClientScript, Server, port.ToString(CultureInfo.InvariantCulture));
            Assert.True(probe.Succeeded, probe.ToString());
        }

        await Nft(ServerNs, "input", "tcp", "dport", "9000", "tcp", "flags", "syn", "numgen", "inc", "mod", "2", "==", "0", "drop");
        await Nft(ClientNs, "input", "tcp", "sport", "9001", "tcp", "flags", "&", "(syn|ack)", "==", "(syn|ack)", "numgen", "inc", "mod", "3", "<", "2", "drop");
        var pcap = Path.Combine(Temp.FullName, "any.pcap");

        // When: one connect to each port
        var took = new List<double>();
        await using (var capture = await LabCapture.Start(NodeNs, "any", pcap))
        {
            took.Add(double.Parse(await Connect(9000), CultureInfo.InvariantCulture));
            took.Add(double.Parse(await Connect(9001), CultureInfo.InvariantCulture));
        }

        var (_, findings) = LabCaptureAnalysis.Analyze(pcap, Client);

        // Then: each connect took the client's SYN timeout, and each is found with its shape
        Assert.All(took, t => Assert.InRange(t, 0.9, 3.5));
        var retried = findings.Where(f => f.Id == FindingIds.TcpConnectRetried).OrderBy(f => f.Subject, StringComparer.Ordinal).ToList();
        Assert.Equal([$"{Server}:9000", $"{Server}:9001"], retried.Select(f => f.Subject));
        Assert.All(retried, f => Assert.Equal(Severity.Warning, f.Severity));
        Assert.StartsWith($"1 of 1 connection from the pod to {Server}:9000 opened only after the SYN was sent again: ", retried[0].Evidence[0], StringComparison.Ordinal);
        Assert.StartsWith("1 of them: no SYN-ACK answered the first SYN", retried[0].Evidence[1], StringComparison.Ordinal);
        Assert.StartsWith("1 of them: the SYN-ACK is in the capture, yet the pod sent its SYN again", retried[1].Evidence[1], StringComparison.Ordinal);
        Assert.DoesNotContain(findings, f => f.Id is FindingIds.TcpConnectNoReply or FindingIds.TcpRetransmissions);
    }

    private static async Task Nft(string ns, string hook, params string[] rule)
    {
        await TestNamespaces.Run(Tools.Ip, "netns", "exec", ns, "nft", "add", "table", "inet", "kt");
        await TestNamespaces.Run(Tools.Ip, "netns", "exec", ns, "nft", "add", "chain", "inet", "kt", hook, $"{{ type filter hook {hook} priority 0; }}");
        await TestNamespaces.Run(Tools.Ip, ["netns", "exec", ns, "nft", "add", "rule", "inet", "kt", hook, .. rule]);
    }

    private async Task<string> Connect(int port)
    {
        var result = await ProcessRunner.Run(Tools.Ip, ["netns", "exec", ClientNs, "python3", "-c", ClientScript, Server, port.ToString(CultureInfo.InvariantCulture)]);
        Assert.True(result.Succeeded, result.ToString());
        return result.StdOut.Trim();
    }
}
