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
public sealed class OverlayCaptureTests : IAsyncLifetime
{
    private const string UnderlayA = "198.19.252.1";
    private const string UnderlayB = "198.19.252.2";
    private const string OverlayA = "198.19.253.1";
    private const string OverlayB = "198.19.253.2";
    private readonly string _a = $"ktvx{Environment.ProcessId % 100000}a";
    private readonly string _b = $"ktvx{Environment.ProcessId % 100000}b";
    private readonly DirectoryInfo _temp = Directory.CreateTempSubdirectory("kubetriage-overlay-");
    private string? _skip;

    public async Task InitializeAsync()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            _skip = "needs root to make network namespaces and a VXLAN device";
            return;
        }

        foreach (var tool in new[] { "ip", "tcpdump", "python3", "curl" })
        {
            if (Tools.Find(tool) is null)
            {
                _skip = $"{tool} is not installed (./test.sh installs it)";
                return;
            }
        }

        await Ip("netns", "add", _a);
        await Ip("netns", "add", _b);
        await Ip("link", "add", "u0", "netns", _a, "type", "veth", "peer", "name", "u0", "netns", _b);
        foreach (var (ns, local, remote, overlay) in new[] { (_a, UnderlayA, UnderlayB, OverlayA), (_b, UnderlayB, UnderlayA, OverlayB) })
        {
            await Ip("-n", ns, "link", "set", "lo", "up");
            await Ip("-n", ns, "addr", "add", $"{local}/24", "dev", "u0");
            await Ip("-n", ns, "link", "set", "u0", "up");
            var vxlan = await ProcessRunner.Run(Tools.Ip, ["-n", ns, "link", "add", "vx0", "type", "vxlan", "id", "42", "local", local, "remote", remote, "dstport", "4789", "dev", "u0"]);
            if (!vxlan.Succeeded)
            {
                _skip = $"this kernel cannot make a VXLAN device: {vxlan.StdErr.Trim()}";
                return;
            }

            await Ip("-n", ns, "addr", "add", $"{overlay}/24", "dev", "vx0");
            await Ip("-n", ns, "link", "set", "vx0", "up");
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var ns in new[] { _a, _b })
        {
            await ProcessRunner.Run(Tools.Ip, ["netns", "del", ns]);
        }

        _temp.Delete(recursive: true);
    }

    [SkippableFact]
    public async Task AnHttpExchangeInsideVxlanIsReadFromTheUnderlayCapture()
    {
        Skip.If(_skip is not null, _skip);

        // Given: an HTTP server behind the tunnel, tcpdump on the underlay NIC
        var pcap = Path.Combine(_temp.FullName, "u0.pcap");
        await using var server = NamespaceHttpServer.Start(_b, OverlayB, 8080, _temp.FullName);
        ExecResult fetched;
        await using (var capture = await LabCapture.Start(_a, "u0", pcap))
        {
            // When: curl fetches a page through the tunnel
            fetched = await NamespaceHttpServer.Fetch(_a, $"http://{OverlayB}:8080/");
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

    private static async Task Ip(params string[] args)
    {
        var result = await ProcessRunner.Run(Tools.Ip, args);
        if (!result.Succeeded)
        {
            throw new LabException($"ip {string.Join(' ', args)}: {result}");
        }
    }
}
