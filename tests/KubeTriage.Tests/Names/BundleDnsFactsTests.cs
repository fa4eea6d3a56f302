using System.Net;
using KubeTriage.Names;

namespace KubeTriage.Tests.Names;

public sealed class BundleDnsFactsTests
{
    [Fact]
    public void ReadFindsKubeDnsTheCorefileAndEachNodesResolvConf()
    {
        // Given
        var bundle = NamesFixtures.Path("bundle-upstreams");

        // When
        var facts = BundleDnsFacts.Read(bundle);

        // Then
        Assert.Equal([IPAddress.Parse("198.18.2.10")], facts.ClusterDnsIps);
        Assert.Contains("forward . /etc/resolv.conf", facts.Corefile, StringComparison.Ordinal);
        Assert.Equal(["node-1", "node-2"], facts.NodeResolvConfs.Keys);
        Assert.Equal(2, facts.NodeResolvConfs["node-1"].Nameservers.Count);
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
        var problem = Assert.Single(facts.Problems);
        Assert.StartsWith($"{Path.Combine(bundle, "cluster/resources.json")}: not valid JSON (line 1)", problem, StringComparison.Ordinal);
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
        Assert.Contains(facts.Problems, p => p.EndsWith("cluster/resources.json: not found; cluster DNS and its upstreams are not discovered from the bundle", StringComparison.Ordinal));
    }

    [Fact]
    public void ParseResourcesFindsKubeDnsByLabelWhenTheServiceHasAnotherName()
    {
        // Given
        const string json = """
            {"kind":"List","items":[{"kind":"Service","metadata":{"name":"coredns","namespace":"kube-system","labels":{"k8s-app":"kube-dns"}},"spec":{"clusterIP":"10.100.0.10"}}]}
            """;
        var problems = new List<string>();

        // When
        var (ips, corefile) = BundleDnsFacts.ParseResources(json, "resources.json", problems);

        // Then
        Assert.Equal([IPAddress.Parse("10.100.0.10")], ips);
        Assert.Null(corefile);
        Assert.Empty(problems);
    }
}
