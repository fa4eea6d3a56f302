using KubeTriage.Capture;
using KubeTriage.Capture.Protocols;
using KubeTriage.Findings;
using KubeTriage.Lab;
using KubeTriage.Names;
using KubeTriage.Wire;

namespace KubeTriage.Tests.Lab;

/// <summary>
/// A node that translates a Service address (as kube-proxy does): a client namespace, a node namespace with an
/// nftables DNAT rule from 198.19.242.10:80 to the backend 198.19.241.2:8080, a server namespace behind it, and
/// <c>tcpdump -i any</c> on the node. The capture holds each connection twice, before and after DNAT; kubetriage
/// pairs the two views and does not call the backend an undeclared dependency when the Service is declared.
/// Addresses are from 198.18.0.0/15 and exist only in the namespaces the test makes and removes.
/// </summary>
public sealed class NatCaptureTests : IAsyncLifetime
{
    private const string Service = "198.19.242.10";
    private const string Backend = "198.19.241.2";
    private readonly string _client = $"ktnat{Environment.ProcessId % 100000}c";
    private readonly string _node = $"ktnat{Environment.ProcessId % 100000}n";
    private readonly string _server = $"ktnat{Environment.ProcessId % 100000}s";
    private readonly DirectoryInfo _temp = Directory.CreateTempSubdirectory("kubetriage-nat-");
    private string? _skip;

    public async Task InitializeAsync()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            _skip = "needs root to make network namespaces and a DNAT rule";
            return;
        }

        foreach (var tool in new[] { "ip", "nft", "tcpdump", "python3", "curl" })
        {
            if (Tools.Find(tool) is null)
            {
                _skip = $"{tool} is not installed (./test.sh installs it)";
                return;
            }
        }

        foreach (var ns in new[] { _client, _node, _server })
        {
            await Run(Tools.Ip, "netns", "add", ns);
            await Run(Tools.Ip, "-n", ns, "link", "set", "lo", "up");
        }

        await Run(Tools.Ip, "link", "add", "c0", "netns", _client, "type", "veth", "peer", "name", "vc", "netns", _node);
        await Run(Tools.Ip, "link", "add", "s0", "netns", _server, "type", "veth", "peer", "name", "vs", "netns", _node);
        foreach (var (ns, dev, address, gateway) in new[] { (_client, "c0", "198.19.240.2/24", "198.19.240.1"), (_server, "s0", $"{Backend}/24", "198.19.241.1") })
        {
            await Run(Tools.Ip, "-n", ns, "addr", "add", address, "dev", dev);
            await Run(Tools.Ip, "-n", ns, "link", "set", dev, "up");
            await Run(Tools.Ip, "-n", ns, "route", "add", "default", "via", gateway);
        }

        foreach (var (dev, address) in new[] { ("vc", "198.19.240.1/24"), ("vs", "198.19.241.1/24") })
        {
            await Run(Tools.Ip, "-n", _node, "addr", "add", address, "dev", dev);
            await Run(Tools.Ip, "-n", _node, "link", "set", dev, "up");
        }

        await Run(Tools.Ip, "netns", "exec", _node, "sysctl", "-qw", "net.ipv4.ip_forward=1");
        await Run(Tools.Ip, "netns", "exec", _node, "nft", "add", "table", "ip", "kt");
        var chain = await ProcessRunner.Run(Tools.Ip, ["netns", "exec", _node, "nft", "add", "chain", "ip", "kt", "pre", "{ type nat hook prerouting priority dstnat; }"]);
        if (!chain.Succeeded)
        {
            _skip = $"this kernel cannot do NAT with nftables: {chain.StdErr.Trim()}";
            return;
        }

        await Run(Tools.Ip, "netns", "exec", _node, "nft", "add", "rule", "ip", "kt", "pre", "ip", "daddr", Service, "tcp", "dport", "80", "dnat", "to", $"{Backend}:8080");
    }

    public async Task DisposeAsync()
    {
        foreach (var ns in new[] { _client, _node, _server })
        {
            await ProcessRunner.Run(Tools.Ip, ["netns", "del", ns]);
        }

        _temp.Delete(recursive: true);
    }

    [SkippableFact]
    public async Task ConnectionsToAServiceAddressArePairedWithTheirBackend()
    {
        Skip.If(_skip is not null, _skip);

        // Given: an HTTP server behind the DNAT rule, tcpdump -i any on the node
        var pcap = Path.Combine(_temp.FullName, "any.pcap");
        await using var server = NamespaceHttpServer.Start(_server, Backend, 8080, _temp.FullName);
        ExecResult first;
        ExecResult second;
        await using (var capture = await LabCapture.Start(_node, "any", pcap))
        {
            // When: the client fetches a page from the Service address twice
            first = await NamespaceHttpServer.Fetch(_client, $"http://{Service}/");
            second = await NamespaceHttpServer.Fetch(_client, $"http://{Service}/");
        }

        Assert.True(first.Succeeded && second.Succeeded, $"{first}\n{second}");
        var builder = new CaptureEvidenceBuilder();
        Assert.True(CaptureEngine.Run([pcap], builder, new ProtocolRegistry(builder)).Succeeded);
        var evidence = builder.Build();
        var expectations = ExpectationsLoader.Parse($"dependencies:\n  - name: web\n    address: {Service}:80\n", "expect.yaml");
        var findings = AnalyzerRunner.Run(AnalyzerCatalog.Wire(true), new CaptureContext(evidence, expectations), []);

        // Then
        var translation = Assert.Single(evidence.NatTranslations);
        Assert.Equal(($"{Service}:80", $"{Backend}:8080"), (translation.Service.ToString(), translation.Backend.ToString()));
        Assert.True(translation.Connections >= 2, $"{translation.Connections} connections paired");
        Assert.DoesNotContain(findings, f => f.Id == FindingIds.DependencyUndeclared);
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
