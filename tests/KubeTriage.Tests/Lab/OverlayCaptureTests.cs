using KubeTriage.Capture;
using KubeTriage.Capture.Packets;
using KubeTriage.Capture.Protocols;
using KubeTriage.Lab;
using KubeTriage.Wire;

namespace KubeTriage.Tests.Lab;

/// <summary>
/// A capture on a node's underlay NIC in an overlay cluster: two network namespaces joined by a veth, a
/// kernel VXLAN device on each (as flannel and Cilium set up between nodes), an HTTP server behind one and
/// curl behind the other, tcpdump on the underlay. The engine reads the HTTP exchange inside the VXLAN
/// packets. Addresses are from 198.18.0.0/15 and exist only in the namespaces the test makes and removes.
/// </summary>
public sealed class OverlayCaptureTests() : NamespaceLabTest("ktvx", "make network namespaces and a VXLAN device", "ip", "tcpdump", "python3", "curl")
{
    private const string UnderlayA = "198.19.252.1";
    private const string UnderlayB = "198.19.252.2";
    private const string OverlayA = "198.19.253.1";
    private const string OverlayB = "198.19.253.2";

    private string NodeA => Namespaces.Name("a");

    private string NodeB => Namespaces.Name("b");

    protected override async Task Build()
    {
        await Namespaces.Add("a");
        await Namespaces.Add("b");
        await TestNamespaces.Link((NodeA, "u0", $"{UnderlayA}/24"), (NodeB, "u0", $"{UnderlayB}/24"));
        foreach (var (ns, local, remote, overlay) in new[] { (NodeA, UnderlayA, UnderlayB, OverlayA), (NodeB, UnderlayB, UnderlayA, OverlayB) })
        {
            var vxlan = await ProcessRunner.Run(Tools.Ip, ["-n", ns, "link", "add", "vx0", "type", "vxlan", "id", "42", "local", local, "remote", remote, "dstport", "4789", "dev", "u0"]);
            if (!vxlan.Succeeded)
            {
                SkipReason = $"this kernel cannot make a VXLAN device: {vxlan.StdErr.Trim()}";
                return;
            }

            await TestNamespaces.Run(Tools.Ip, "-n", ns, "addr", "add", $"{overlay}/24", "dev", "vx0");
            await TestNamespaces.Run(Tools.Ip, "-n", ns, "link", "set", "vx0", "up");
        }
    }

    [SkippableFact]
    public async Task AnHttpExchangeInsideVxlanIsReadFromTheUnderlayCapture()
    {
        Skip.If(SkipReason is not null, SkipReason);

        // Given: an HTTP server behind the tunnel, tcpdump on the underlay NIC
        var pcap = Path.Combine(Temp.FullName, "u0.pcap");
        await using var server = NamespaceHttpServer.Start(NodeB, OverlayB, 8080, Temp.FullName);
        ExecResult fetched;
        await using (var capture = await LabCapture.Start(NodeA, "u0", pcap))
        {
            // When: curl fetches a page through the tunnel
            fetched = await NamespaceHttpServer.Fetch(NodeA, $"http://{OverlayB}:8080/");
        }

        Assert.True(fetched.Succeeded, fetched.ToString());
        var builder = new CaptureEvidenceBuilder(new CaptureEvidenceOptions { PodIps = [Capture.Primitives.NetAddress.Parse(OverlayA)] });
        var result = CaptureEngine.Run([pcap], builder, new ProtocolRegistry(builder));
        var evidence = builder.Build();

        // Then: the exchange between the overlay addresses, and how many packets came out of VXLAN
        Assert.True(result.Succeeded);
        var get = Assert.Single(evidence.Http, h => h.Path == "/" && h.Server.Port == 8080);
        Assert.Equal((OverlayA, OverlayB, 200), (get.Client.Address.ToString(), get.Server.Address.ToString(), get.Status));
        Assert.True(Assert.Single(evidence.Files).Tunnels.GetValueOrDefault(TunnelKind.Vxlan) >= 8);
        Assert.Contains(evidence.Peers, p => p.Ip.ToString() == OverlayB);
    }
}
