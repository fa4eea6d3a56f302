using System.Net;
using KubeTriage.Node;

namespace KubeTriage.Tests.Node;

public sealed class NodeDirReaderTests : IDisposable
{
    private static readonly IReadOnlyList<IPAddress> Probe = [NodeEvidenceBuilder.DefaultProbeDestination];
    private readonly DirectoryInfo _temp = Directory.CreateTempSubdirectory("kubetriage-node-dir-");

    public void Dispose() => _temp.Delete(recursive: true);

    [Fact]
    public void ReadsEveryNodeOfABundle()
    {
        // Given
        var bundle = NodeTestData.Path("bundle-incident");

        // When
        var nodes = NodeDirReader.Read(bundle, [], Probe);

        // Then
        Assert.Equal(["node-a", "node-b"], nodes.Select(n => n.Node));
        Assert.All(nodes, n => Assert.NotNull(n.PciFunctions));
        Assert.All(nodes, n => Assert.Equal(NetnsState.Offline, n.Namespace.State));
        Assert.Equal("nodes/node-a/ip-rule.json", nodes[0].Rule!.Label);
        Assert.Empty(nodes[0].Problems);
    }

    [Fact]
    public void ReadsOneNodeDirectoryNamedAfterItself()
    {
        // Given
        var dir = NodeTestData.Path("bundle-incident", "nodes", "node-b");

        // When
        var node = Assert.Single(NodeDirReader.Read(dir, [], Probe));

        // Then
        Assert.Equal("node-b", node.Node);
        Assert.Equal("ip-addr.json", node.Addr!.Label);
    }

    [Fact]
    public void KeepsWhatIsThereWhenFilesAreMissingOrGarbled()
    {
        // Given: a node dir with only rules and routes, one of them cut short
        var node = Directory.CreateDirectory(Path.Combine(_temp.FullName, "nodes", "node-c"));
        File.Copy(NodeTestData.Path("eni-route", "ip-rule.json"), Path.Combine(node.FullName, "ip-rule.json"));
        File.WriteAllText(Path.Combine(node.FullName, "ip-route.json"), NodeTestData.Read("eni-route", "ip-route.json")[..200]);

        // When
        var evidence = NodeEvidenceBuilder.Build(Assert.Single(NodeDirReader.Read(_temp.FullName, [], Probe)));

        // Then
        Assert.True(evidence.RulesKnown);
        Assert.False(evidence.RoutesKnown);
        Assert.False(evidence.InterfacesKnown);
        Assert.False(evidence.PciChecked);
        Assert.Equal(8, evidence.Rules.Count);
        Assert.Equal(
            [
                "nodes/node-c/sysfs/: not collected: PCI checks skipped",
                "nodes/node-c/ip-addr.json: missing",
                "nodes/node-c/ip-link.json: missing",
                "nodes/node-c/ip-route.json: not ip -j JSON (line 1, byte 201): Expected depth to be zero at the end of the JSON payload",
                "nodes/node-c/resolv.conf: missing",
            ],
            evidence.Problems.Select(p => p.StartsWith("nodes/node-c/ip-route.json", StringComparison.Ordinal) ? p[..Math.Min(p.Length, 125)] : p));
    }

    [Fact]
    public void RefusesADirectoryThatIsNeitherABundleNorANodeDir()
    {
        // Given
        File.WriteAllText(Path.Combine(_temp.FullName, "notes.txt"), "hello");

        // When
        var error = Assert.Throws<NodeDirException>(() => NodeDirReader.Read(_temp.FullName, [], Probe));

        // Then
        Assert.Equal(
            $"{_temp.FullName}: neither a bundle (no nodes/ directory) nor a node directory (no ip-addr.json, ip-link.json, ip-rule.json, ip-route.json, resolv.conf, no sysfs/)",
            error.Message);
    }

    [Fact]
    public void UsesAGivenSysfsRootInsteadOfTheCollectedOne()
    {
        // Given
        var dir = NodeTestData.Path("eni-healthy");

        // When
        var node = Assert.Single(NodeDirReader.Read(dir, [], Probe, NodeTestData.Path("sysfs-ena-missing")));

        // Then
        Assert.Equal(NodeTestData.Path("sysfs-ena-missing"), node.SysfsRoot);
        Assert.Contains(node.PciFunctions!, f => f.Address == "0000:00:06.0" && f.NetDevs.Count == 0);
    }
}
