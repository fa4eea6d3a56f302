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
public sealed class NatCaptureTests() : NamespaceLabTest("ktnat", "make network namespaces and a DNAT rule", "ip", "nft", "tcpdump", "python3", "curl")
{
    private const string Service = "198.19.242.10";
    private const string Backend = "198.19.241.2";

    private string NodeNs => Namespaces.Name("n");

    protected override async Task Build()
    {
        await Namespaces.Add("c");
        await Namespaces.Add("n");
        await Namespaces.Add("s");

        await TestNamespaces.Link((ClientNs, "c0", "198.19.240.2/24"), (NodeNs, "vc", "198.19.240.1/24"));
        await TestNamespaces.Link((ServerNs, "s0", $"{Backend}/24"), (NodeNs, "vs", "198.19.241.1/24"));
        await TestNamespaces.Run(Tools.Ip, "-n", ClientNs, "route", "add", "default", "via", "198.19.240.1");
        await TestNamespaces.Run(Tools.Ip, "-n", ServerNs, "route", "add", "default", "via", "198.19.241.1");

        await TestNamespaces.Run(Tools.Ip, "netns", "exec", NodeNs, "sysctl", "-qw", "net.ipv4.ip_forward=1");
        await TestNamespaces.Run(Tools.Ip, "netns", "exec", NodeNs, "nft", "add", "table", "ip", "kt");
        var chain = await ProcessRunner.Run(Tools.Ip, ["netns", "exec", NodeNs, "nft", "add", "chain", "ip", "kt", "pre", "{ type nat hook prerouting priority dstnat; }"]);
        if (!chain.Succeeded)
        {
            SkipReason = $"this kernel cannot do NAT with nftables: {chain.StdErr.Trim()}";
            return;
        }

        await TestNamespaces.Run(Tools.Ip, "netns", "exec", NodeNs, "nft", "add", "rule", "ip", "kt", "pre", "ip", "daddr", Service, "tcp", "dport", "80", "dnat", "to", $"{Backend}:8080");
    }

    [SkippableFact]
    public async Task ConnectionsToAServiceAddressArePairedWithTheirBackend()
    {
        Skip.If(SkipReason is not null, SkipReason);

        // Given: an HTTP server behind the DNAT rule, tcpdump -i any on the node
        var pcap = Path.Combine(Temp.FullName, "any.pcap");
        await using var server = NamespaceHttpServer.Start(ServerNs, Backend, 8080, Temp.FullName);
        ExecResult first;
        ExecResult second;
        await using (var capture = await LabCapture.Start(NodeNs, "any", pcap))
        {
            // When: the client fetches a page from the Service address twice
            first = await NamespaceHttpServer.Fetch(ClientNs, $"http://{Service}/");
            second = await NamespaceHttpServer.Fetch(ClientNs, $"http://{Service}/");
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
}
