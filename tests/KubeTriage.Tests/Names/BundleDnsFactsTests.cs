using System.Net;
using KubeTriage.Names;

namespace KubeTriage.Tests.Names;

public sealed class BundleDnsFactsTests
{
    [Fact]
    public void ReadFindsKubeDnsTheCorefileTheCoreDnsNodesAndEveryResolvConf()
    {
        // Given
        var bundle = NamesFixtures.Path("bundle-upstreams");

        // When
        var facts = BundleDnsFacts.Read(bundle);

        // Then
        Assert.Equal([IPAddress.Parse("198.18.2.10")], facts.ClusterDnsIps);
        Assert.NotNull(facts.Corefile);
        Assert.Equal("kube-system/coredns", facts.CorefileSource);
        Assert.Equal(["node-2"], facts.CoreDnsNodes);
        Assert.Equal(["node-1", "node-2"], facts.NodeResolvConfs.Keys);
        Assert.Equal("cluster/pods/default/example-app/resolv.conf", facts.PodResolvConfSource);
        Assert.Equal(5, facts.PodResolvConf?.Ndots);
        Assert.Empty(facts.Problems);
    }

    [Fact]
    public void ReadOfTruncatedJsonKeepsTheRestAndSaysWhatBroke()
    {
        // Given
        var bundle = NamesFixtures.Path("bundle-garbled");

        // When
        var facts = BundleDnsFacts.Read(bundle);

        // Then
        Assert.Empty(facts.ClusterDnsIps);
        Assert.Null(facts.Corefile);
        Assert.Contains(facts.Problems, p => p.Contains("cluster/resources.json", StringComparison.Ordinal));
    }

    [Fact]
    public void ReadOfADirectoryWithoutClusterEvidenceSaysSo()
    {
        // Given
        var bundle = NamesFixtures.Path("bundle-upstreams/nodes");

        // When
        var facts = BundleDnsFacts.Read(bundle);

        // Then
        Assert.Empty(facts.ClusterDnsIps);
        Assert.Null(facts.PodResolvConf);
        Assert.Contains(facts.Problems, p => p.Contains("cluster/resources.json is missing", StringComparison.Ordinal));
    }
}
