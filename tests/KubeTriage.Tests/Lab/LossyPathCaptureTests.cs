using KubeTriage.Capture;
using KubeTriage.Capture.Protocols;
using KubeTriage.Findings;
using KubeTriage.Lab;
using KubeTriage.Wire;

namespace KubeTriage.Tests.Lab;

/// <summary>
/// A lossy path: a client namespace fetches a 512 kB object over HTTP from a server namespace whose NIC is
/// shaped with a small <c>tc tbf</c> queue, which drops what does not fit, so the server sends data again.
/// tcpdump on the client's NIC records it; kubetriage raises <c>tcp.retransmissions</c> on the server, and
/// nothing on the same fetch without the shaper. Addresses are from 198.18.0.0/15 and exist only in the
/// namespaces the test makes and removes.
/// </summary>
public sealed class LossyPathCaptureTests : IAsyncLifetime
{
    private const string Client = "198.19.234.2";
    private const string Server = "198.19.234.1";
    private readonly string _client = $"ktloss{Environment.ProcessId % 100000}c";
    private readonly string _server = $"ktloss{Environment.ProcessId % 100000}s";
    private readonly DirectoryInfo _temp = Directory.CreateTempSubdirectory("kubetriage-loss-");
    private string? _skip;

    public async Task InitializeAsync()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            _skip = "needs root to make network namespaces and shape a link with tc";
            return;
        }

        foreach (var tool in new[] { "ip", "tc", "tcpdump", "python3", "curl" })
        {
            if (Tools.Find(tool) is null)
            {
                _skip = $"{tool} is not installed (./test.sh installs it)";
                return;
            }
        }

        foreach (var ns in new[] { _client, _server })
        {
            await Run(Tools.Ip, "netns", "add", ns);
            await Run(Tools.Ip, "-n", ns, "link", "set", "lo", "up");
        }

        await Run(Tools.Ip, "link", "add", "c0", "netns", _client, "type", "veth", "peer", "name", "s0", "netns", _server);
        foreach (var (ns, dev, address) in new[] { (_client, "c0", $"{Client}/24"), (_server, "s0", $"{Server}/24") })
        {
            await Run(Tools.Ip, "-n", ns, "addr", "add", address, "dev", dev);
            await Run(Tools.Ip, "-n", ns, "link", "set", dev, "up");
        }

        var body = new byte[512 * 1024];
        new Random(7).NextBytes(body);
        await File.WriteAllBytesAsync(Path.Combine(_temp.FullName, "object.bin"), body);
    }

    public async Task DisposeAsync()
    {
        foreach (var ns in new[] { _client, _server })
        {
            await ProcessRunner.Run(Tools.Ip, ["netns", "del", ns]);
        }

        _temp.Delete(recursive: true);
    }

    [SkippableFact]
    public async Task DataLostByAShaperIsReportedAsRetransmissionsOfTheServer()
    {
        Skip.If(_skip is not null, _skip);

        // Given: an HTTP server; one fetch over the clean link, then the server's NIC shaped to 4 Mbit/s with a queue of a few packets
        await using var server = NamespaceHttpServer.Start(_server, Server, 8080, _temp.FullName);
        var url = $"http://{Server}:8080/object.bin";
        var clean = await Fetch(url, "clean.pcap");
        await Run(Tools.Ip, "netns", "exec", _server, "tc", "qdisc", "add", "dev", "s0", "root", "tbf", "rate", "4mbit", "burst", "8kb", "latency", "5ms");
        var lossy = await Fetch(url, "lossy.pcap");
        var drops = await ProcessRunner.Run(Tools.Ip, ["netns", "exec", _server, "tc", "-s", "qdisc", "show", "dev", "s0"]);

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
        var pcap = Path.Combine(_temp.FullName, name);
        ExecResult fetched;
        await using (var capture = await LabCapture.Start(_client, "c0", pcap, $"host {Server}"))
        {
            fetched = await NamespaceHttpServer.Fetch(_client, url);
        }

        Assert.True(fetched.Succeeded, fetched.ToString());
        return pcap;
    }

    private static IReadOnlyList<Finding> Analyze(string pcap)
    {
        var builder = new CaptureEvidenceBuilder(new CaptureEvidenceOptions { PodIps = [KubeTriage.Capture.Primitives.NetAddress.Parse(Client)] });
        Assert.True(CaptureEngine.Run([pcap], builder, new ProtocolRegistry(builder)).Succeeded);
        return AnalyzerRunner.Run(AnalyzerCatalog.Wire(false), new CaptureContext(builder.Build()), []);
    }

    private static async Task Run(string file, params string[] args)
    {
        var result = await ProcessRunner.Run(file, args);
        if (!result.Succeeded)
        {
            throw new LabException($"{file} {string.Join(' ', args)}: {result}");
        }
    }
}
