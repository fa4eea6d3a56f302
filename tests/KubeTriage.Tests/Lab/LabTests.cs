using System.Buffers.Binary;
using System.Text.Json;
using KubeTriage.Lab;

namespace KubeTriage.Tests.Lab;

/// <summary>The lab itself: its healthy app works and every fault breaks what it should, then heals.</summary>
[Collection(LabCollection.Name)]
public sealed class LabTests(LabFixture lab)
{
    private const uint LinkTypeLinuxSll2 = 276;

    [SkippableFact]
    public async Task HealthyAppResolvesQueriesTheDatabaseAndFetchesTheObjectOverTheDedicatedLine()
    {
        Skip.IfNot(lab.IsAvailable, lab.SkipReason);

        // Given a healthy lab
        await lab.HealAll();

        // When the app runs its 13 queries
        var run = await lab.RunApp();

        // Then every step worked, over the expected addresses
        Assert.True(run.Succeeded, run.ToString());
        Assert.Equal(LabAddresses.ApiAddress, run.ApiAddress);
        Assert.Equal(13, run.QueriesDone);
        Assert.Equal(13, run.QuerySeconds.Count);
        Assert.Equal(LabAddresses.ObjectStoreDedicated, run.ObjectStoreAddress);
        Assert.Equal(LabAddresses.ObjectBytes, run.ObjectBytes);
    }

    [SkippableFact]
    public async Task NamespacesAndInterfacesFollowTheTopology()
    {
        Skip.IfNot(lab.IsAvailable, lab.SkipReason);

        // Given the lab is up
        // When the node's links, rules and the pod's resolv.conf are read
        var links = await lab.Exec(lab.NodeNs, "ip", "-j", "link");
        var rules = await lab.Exec(lab.NodeNs, "ip", "-j", "rule");
        var table2 = await lab.Exec(lab.NodeNs, "ip", "route", "show", "table", "2");
        var resolv = await lab.Exec(lab.PodNs, "cat", "/etc/resolv.conf");

        // Then they are the VPC CNI's shape
        Assert.InRange(lab.Prefix.Length, 2, 6);
        Assert.Matches("^eni[0-9a-f]{11}$", lab.PodVeth);
        var names = JsonDocument.Parse(links.StdOut).RootElement.EnumerateArray()
            .Select(l => l.GetProperty("ifname").GetString()).ToArray();
        Assert.Contains("eth0", names);
        Assert.Contains("eth1", names);
        Assert.Contains(lab.PodVeth, names);
        var priorities = JsonDocument.Parse(rules.StdOut).RootElement.EnumerateArray()
            .Select(r => r.GetProperty("priority").GetInt32()).ToArray();
        Assert.Contains(512, priorities);
        Assert.Contains(1536, priorities);
        Assert.Contains("default via 198.18.1.1 dev eth1", table2.StdOut, StringComparison.Ordinal);
        Assert.Contains("nameserver 198.18.2.10", resolv.StdOut, StringComparison.Ordinal);
        Assert.Contains("options ndots:5", resolv.StdOut, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task RouteFaultBreaksTcpToTheDatabaseWhilePingStillWorks()
    {
        Skip.IfNot(lab.IsAvailable, lab.SkipReason);

        // Given table 2 is emptied
        await using (await lab.Inject(Fault.Route))
        {
            // When the pod pings the database and opens TCP 3306
            var ping = await lab.Exec(lab.PodNs, "ping", "-c", "1", "-W", "2", LabAddresses.Database);
            var tcp = await TcpConnect(LabAddresses.Database, LabAddresses.DatabasePort);
            var route = await lab.Exec(lab.NodeNs, "ip", "route", "get", LabAddresses.Database, "from", LabAddresses.PodIp, "iif", lab.PodVeth);

            // Then ping works, TCP does not, and pod traffic leaves through eth0
            Assert.True(ping.Succeeded, ping.ToString());
            Assert.False(tcp.Succeeded, tcp.ToString());
            Assert.Contains("dev eth0", route.StdOut, StringComparison.Ordinal);
        }

        // And healing restores TCP
        var healed = await TcpConnect(LabAddresses.Database, LabAddresses.DatabasePort);
        Assert.True(healed.Succeeded, healed.ToString());
    }

    [SkippableFact]
    public async Task NicFaultTakesEth1AwayFromTheNode()
    {
        Skip.IfNot(lab.IsAvailable, lab.SkipReason);

        // Given eth1 vanishes
        await using (await lab.Inject(Fault.Nic))
        {
            // When the node's interfaces are listed
            var links = await lab.Exec(lab.NodeNs, "ip", "-br", "link");

            // Then eth1 is absent
            Assert.DoesNotContain("eth1", links.StdOut, StringComparison.Ordinal);
        }

        // And healing brings it back with its address and table 2
        var address = await lab.Exec(lab.NodeNs, "ip", "-br", "addr", "show", "eth1");
        var table2 = await lab.Exec(lab.NodeNs, "ip", "route", "show", "table", "2");
        Assert.Contains(LabAddresses.NodeEth1 + "/24", address.StdOut, StringComparison.Ordinal);
        Assert.Contains("default via 198.18.1.1 dev eth1", table2.StdOut, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task ClusterDnsFaultMakesNameResolutionFailInThePod()
    {
        Skip.IfNot(lab.IsAvailable, lab.SkipReason);

        // Given cluster DNS is stopped
        await using (await lab.Inject(Fault.ClusterDns))
        {
            // When the pod resolves the API name, and the node asks the upstreams directly
            var pod = await lab.Exec(lab.PodNs, "getent", "ahostsv4", LabAddresses.ApiName);
            var node = await lab.Exec(lab.NodeNs, "getent", "ahostsv4", LabAddresses.ApiName);

            // Then the pod fails while the upstreams answer
            Assert.False(pod.Succeeded, pod.ToString());
            Assert.Contains(LabAddresses.ApiAddress, node.StdOut, StringComparison.Ordinal);
        }

        // And healing restores the pod's resolution
        var healed = await lab.Exec(lab.PodNs, "getent", "ahostsv4", LabAddresses.ApiName);
        Assert.Contains(LabAddresses.ApiAddress, healed.StdOut, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task SlowDbFaultMakesEveryQueryTakeTheChosenTime()
    {
        Skip.IfNot(lab.IsAvailable, lab.SkipReason);

        // Given business_query() sleeps 0.3 s on the server
        AppRun slow;
        await using (await lab.Inject(Fault.SlowDb, 0.3))
        {
            // When the app runs 3 queries
            slow = await lab.RunApp(3);
        }

        // Then each took at least 0.3 s, and after healing they are fast again
        var fast = await lab.RunApp(3);
        Assert.True(slow.Succeeded, slow.ToString());
        Assert.Equal(3, slow.QuerySeconds.Count);
        Assert.All(slow.QuerySeconds, s => Assert.True(s >= 0.3, $"query took {s} s"));
        Assert.All(fast.QuerySeconds, s => Assert.True(s < 0.3, $"query took {s} s after healing"));
    }

    [SkippableFact]
    public async Task WrongDnsFaultAnswersTheObjectStoreNameWithThePublicPath()
    {
        Skip.IfNot(lab.IsAvailable, lab.SkipReason);

        // Given the upstreams were edited
        await using (await lab.Inject(Fault.WrongDns))
        {
            // When the pod resolves the object store
            var answer = await lab.Exec(lab.PodNs, "getent", "ahostsv4", LabAddresses.ObjectStoreName);

            // Then it gets the public-path address
            Assert.StartsWith(LabAddresses.ObjectStorePublic + " ", answer.StdOut, StringComparison.Ordinal);
        }

        // And healing restores the dedicated line
        var healed = await lab.Exec(lab.PodNs, "getent", "ahostsv4", LabAddresses.ObjectStoreName);
        Assert.StartsWith(LabAddresses.ObjectStoreDedicated + " ", healed.StdOut, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task CaptureOnAnyRecordsThePodsTrafficInCookedV2()
    {
        Skip.IfNot(lab.IsAvailable, lab.SkipReason);

        // Given a capture on all of the node's interfaces
        var path = Path.Combine(Path.GetTempPath(), $"kubetriage-lab-{lab.Prefix}-any.pcap");
        try
        {
            int? packets;
            await using (var capture = await lab.StartCapture(lab.NodeNs, "any", path, $"host {LabAddresses.PodIp}"))
            {
                // When the app runs once
                var run = await lab.RunApp(1);
                Assert.True(run.Succeeded, run.ToString());
                await capture.StopAsync();
                packets = capture.PacketsCaptured;
            }

            // Then the file is a complete pcap of Linux cooked v2 frames
            var header = File.ReadAllBytes(path).AsSpan(0, 24);
            Assert.Equal(0xa1b2c3d4u, BinaryPrimitives.ReadUInt32LittleEndian(header));
            Assert.Equal(LinkTypeLinuxSll2, BinaryPrimitives.ReadUInt32LittleEndian(header[20..]));
            Assert.True(packets > 100, $"{packets} packets");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [SkippableFact]
    public async Task SecondLabRunsBesideTheFirstAndLeavesNothingBehind()
    {
        Skip.IfNot(lab.IsAvailable, lab.SkipReason);

        // Given a second lab with the same addresses
        var other = new LabFixture();
        string[] namespaces;
        string stateDir;
        await other.InitializeAsync();
        try
        {
            namespaces = [other.NodeNs, other.PodNs, other.VpcNs, other.SvcNs, other.OssNs, other.ParkNs];
            stateDir = other.StateDir;

            // When both run the app
            var mine = await lab.RunApp(1);
            var theirs = await other.RunApp(1);

            // Then both work independently
            Assert.NotEqual(lab.Prefix, other.Prefix);
            Assert.True(mine.Succeeded, mine.ToString());
            Assert.True(theirs.Succeeded, theirs.ToString());
        }
        finally
        {
            await other.DisposeAsync();
        }

        // And tearing it down removed its namespaces, /etc/netns dirs and state
        Assert.All(namespaces, ns => Assert.False(File.Exists($"/run/netns/{ns}"), ns));
        Assert.All(namespaces, ns => Assert.False(Directory.Exists($"/etc/netns/{ns}"), ns));
        Assert.False(Directory.Exists(stateDir), stateDir);
    }

    [SkippableFact]
    public async Task CliRunsInsideTheNodeNamespace()
    {
        Skip.IfNot(lab.IsAvailable, lab.SkipReason);
        Skip.IfNot(KubeTriageCli.IsBuilt, $"the CLI is not built ({KubeTriageCli.DllPath})");

        // Given the built CLI
        // When it runs inside the node's namespace
        var help = await KubeTriageCli.RunInNamespace(lab.NodeNs, "--help");

        // Then it starts there and lists its verbs
        Assert.True(help.Succeeded, help.ToString());
        Assert.Contains("capture", help.StdOut, StringComparison.Ordinal);
    }

    private Task<ExecResult> TcpConnect(string address, int port) =>
        lab.Exec(lab.PodNs, "timeout", "2", "bash", "-c", $"exec 3<>/dev/tcp/{address}/{port}");
}
