using System.Net;
using KubeTriage.Names;

namespace KubeTriage.Tests.Names;

public sealed class ResolvConfTests
{
    private static ResolvConf Fixture(string name) => ResolvConf.Parse(File.ReadAllText(NamesFixtures.Path(name)));

    [Fact]
    public void ParseReadsAClusterFirstPodFile()
    {
        // Given
        var resolvConf = Fixture("resolv.clusterfirst.conf");

        // When
        var nameservers = resolvConf.Nameservers;

        // Then
        Assert.Equal([IPAddress.Parse("172.20.0.10")], nameservers);
        Assert.Equal(["default.svc.cluster.local", "svc.cluster.local", "cluster.local", "ec2.internal"], resolvConf.Search);
        Assert.Equal(5, resolvConf.Ndots);
        Assert.Empty(resolvConf.Problems);
    }

    [Fact]
    public void ParseReadsANodeFileWithCommentsAndOptionsFirst()
    {
        // Given
        var resolvConf = Fixture("resolv.eks-node.conf");

        // When
        var ndots = resolvConf.Ndots;

        // Then
        Assert.Equal(ResolvConf.DefaultNdots, ndots);
        Assert.Equal(["timeout:2", "attempts:5"], resolvConf.Options);
        Assert.Equal([IPAddress.Parse("192.168.0.2")], resolvConf.Nameservers);
        Assert.Empty(resolvConf.Problems);
    }

    [Fact]
    public void ParseKeepsWhatItCanAndNamesTheRestByLine()
    {
        // Given
        var resolvConf = Fixture("resolv.odd.conf");

        // When
        var problems = resolvConf.Problems;

        // Then
        Assert.Equal(["line 3: nameserver 'not-an-address' is not an address", "line 8: unknown directive 'sortlist'"], problems);
        Assert.Equal(2, resolvConf.Nameservers.Count);
        Assert.Equal(IPAddress.Parse("fe80::1"), new IPAddress(resolvConf.Nameservers[1].GetAddressBytes()));
        Assert.Equal(["default.svc.cluster.local.", "svc.cluster.local.", "cluster.local."], resolvConf.Search);
        Assert.Equal(2, resolvConf.Ndots);
    }

    [Theory]
    [InlineData("oss.example.com", "oss.example.com.default.svc.cluster.local.,oss.example.com.svc.cluster.local.,oss.example.com.cluster.local.,oss.example.com.ec2.internal.,oss.example.com.")]
    [InlineData("a.b.c.d.e.f", "a.b.c.d.e.f.,a.b.c.d.e.f.default.svc.cluster.local.,a.b.c.d.e.f.svc.cluster.local.,a.b.c.d.e.f.cluster.local.,a.b.c.d.e.f.ec2.internal.")]
    [InlineData("oss.example.com.", "oss.example.com.")]
    public void CandidatesFollowNdotsAndTheSearchList(string name, string expected)
    {
        // Given
        var resolvConf = Fixture("resolv.clusterfirst.conf");

        // When
        var candidates = resolvConf.Candidates(name);

        // Then
        Assert.Equal(expected.Split(','), candidates);
    }

    [Fact]
    public void CandidatesDoNotDoubleTheTrailingDotOfASearchDomain()
    {
        // Given
        var resolvConf = Fixture("resolv.odd.conf");

        // When
        var candidates = resolvConf.Candidates("db");

        // Then
        Assert.Equal(["db.default.svc.cluster.local.", "db.svc.cluster.local.", "db.cluster.local.", "db."], candidates);
    }

    [Fact]
    public void ParseOfGarbageYieldsNoNameserversAndProblemsNotAnException()
    {
        // Given
        const string garbage = "\u0000\u0001binary\nnameserver\n{\"json\": true}\n";

        // When
        var resolvConf = ResolvConf.Parse(garbage);

        // Then
        Assert.Empty(resolvConf.Nameservers);
        Assert.NotEmpty(resolvConf.Problems);
    }
}
