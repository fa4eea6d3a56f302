using KubeTriage.Findings;
using KubeTriage.Lab;

namespace KubeTriage.Tests.Lab;

/// <summary>
/// A lossy path: a client namespace fetches a 512 kB object over HTTP from a server namespace whose NIC is
/// shaped with a small <c>tc tbf</c> queue, which drops what does not fit, so the server sends data again.
/// tcpdump on the client's NIC records it; kubetriage raises <c>tcp.retransmissions</c> on the server, and
/// nothing on the same fetch without the shaper. Addresses are from 198.18.0.0/15 and exist only in the
/// namespaces the test makes and removes.
/// </summary>
public sealed class LossyPathCaptureTests() : NamespaceLabTest("ktloss", "make network namespaces and shape a link with tc", "ip", "tc", "tcpdump", "python3", "curl")
{
    private const string Client = "198.19.234.2";
    private const string Server = "198.19.234.1";

    protected override async Task Build()
    {
        await Namespaces.AddPair("c", Client, "s", Server);

        var body = new byte[512 * 1024];
        new Random(7).NextBytes(body);
        await File.WriteAllBytesAsync(Path.Combine(Temp.FullName, "object.bin"), body);
    }

    [SkippableFact]
    public async Task DataLostByAShaperIsReportedAsRetransmissionsOfTheServer()
    {
        Skip.If(SkipReason is not null, SkipReason);

        // Given: an HTTP server; one fetch over the clean link, then the server's NIC shaped to 4 Mbit/s with a queue of a few packets
        await using var server = NamespaceHttpServer.Start(ServerNs, Server, 8080, Temp.FullName);
        var url = $"http://{Server}:8080/object.bin";
        var clean = await Fetch(url, "clean.pcap");
        await TestNamespaces.Run(Tools.Ip, "netns", "exec", ServerNs, "tc", "qdisc", "add", "dev", "s0", "root", "tbf", "rate", "4mbit", "burst", "8kb", "latency", "5ms");
        var lossy = await Fetch(url, "lossy.pcap");
        var drops = await ProcessRunner.Run(Tools.Ip, ["netns", "exec", ServerNs, "tc", "-s", "qdisc", "show", "dev", "s0"]);

        // When
        var cleanFindings = Analyze(clean);
        var lossyFindings = Analyze(lossy);

        // Then: nothing on the clean fetch; on the shaped one, the server's data sent again
        Assert.DoesNotContain(cleanFindings, f => f.Id == FindingIds.TcpRetransmissions);
        var finding = Assert.Single(lossyFindings, f => f.Id == FindingIds.TcpRetransmissions);
        Assert.True(finding.Subject == $"{Server}:8080", finding.Subject);
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.StartsWith($"{Server} → the pod: ", finding.Evidence[0], StringComparison.Ordinal);
        Assert.DoesNotContain("→ the pod: 0 of", finding.Evidence[0], StringComparison.Ordinal);
        Assert.Contains("dropped", drops.StdOut, StringComparison.Ordinal);
    }

    private async Task<string> Fetch(string url, string name)
    {
        var pcap = Path.Combine(Temp.FullName, name);
        ExecResult fetched;
        await using (var capture = await LabCapture.Start(ClientNs, "c0", pcap, $"host {Server}"))
        {
            fetched = await NamespaceHttpServer.Fetch(ClientNs, url);
        }

        Assert.True(fetched.Succeeded, fetched.ToString());
        return pcap;
    }

    private static IReadOnlyList<Finding> Analyze(string pcap)
    {
        return LabCaptureAnalysis.Analyze(pcap, Client).Findings;
    }
}
