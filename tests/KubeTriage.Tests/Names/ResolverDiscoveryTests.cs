using KubeTriage.Names;

namespace KubeTriage.Tests.Names;

public sealed class ResolverDiscoveryTests
{
    private static readonly ResolvConf PodResolvConf =
        ResolvConf.Parse("search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 198.18.2.10\noptions ndots:5\n");

    private static DnsResolver Given(string text)
    {
        Assert.True(ResolverArgument.TryParse(text, out var resolver, out var error), error);
        return resolver;
    }

    [Fact]
    public void WithoutResolversTheEvidenceNamesThemWithRoles()
    {
        // Given
        var bundle = BundleDnsFacts.Read(NamesFixtures.Path("bundle-upstreams"));

        // When
        var resolvers = ResolverDiscovery.Discover([], bundle.PodResolvConf, bundle.PodResolvConfSource, bundle);

        // Then
        Assert.Equal(
        [
            "198.18.2.10 (cluster-dns) cluster/pods/default/example-app/resolv.conf",
            "198.18.2.11 (upstream) Corefile kube-system/coredns: forward . /etc/resolv.conf = nodes/node-2/resolv.conf",
            "198.18.2.13:5353 (upstream) Corefile kube-system/coredns: forward . 198.18.2.13:5353",
            "198.18.2.12 (node) nodes/node-1/resolv.conf",
        ], resolvers.Select(r => $"{r.Label} {r.Source}"));
    }

    [Fact]
    public void ACorefileForwardingToResolvConfUsesEveryNodeWhenCoreDnsIsNotPlaced()
    {
        // Given
        var bundle = BundleDnsFacts.Read(NamesFixtures.Path("bundle-upstreams")) with { CoreDnsNodes = [] };

        // When
        var upstreams = ResolverDiscovery.CorefileUpstreams(bundle).Select(r => r.Endpoint).Distinct().ToList();

        // Then
        Assert.Equal(["198.18.2.11", "198.18.2.12", "198.18.2.13:5353"], upstreams);
    }

    [Fact]
    public void GivenResolversAreTheOnlyOnesAskedAndTakeTheirRoleFromTheEvidence()
    {
        // Given
        DnsResolver[] given = [Given("198.18.2.10"), Given("198.18.2.12"), Given("198.18.9.9")];

        // When
        var resolvers = ResolverDiscovery.Discover(given, PodResolvConf, "/etc/resolv.conf", null);

        // Then
        Assert.Equal(["198.18.2.10 (cluster-dns)", "198.18.2.12 (given)", "198.18.9.9 (given)"], resolvers.Select(r => r.Label));
        Assert.Equal("--resolver; /etc/resolv.conf", resolvers[0].Source);
    }

    [Fact]
    public void ARoleWrittenOnTheCommandLineWins()
    {
        // Given
        DnsResolver[] given = [Given("198.18.2.10=upstream"), Given("198.18.2.10")];

        // When
        var resolvers = ResolverDiscovery.Discover(given, PodResolvConf, "/etc/resolv.conf", null);

        // Then
        Assert.Equal(["198.18.2.10 (upstream)"], resolvers.Select(r => r.Label));
    }

    [Fact]
    public void NoEvidenceAndNoResolversMeansNothingToAsk()
    {
        // Given
        // When
        var resolvers = ResolverDiscovery.Discover([], null, null, null);

        // Then
        Assert.Empty(resolvers);
    }

    [Fact]
    public void AMissingDefaultResolvConfIsAProblemButANamedOneIsAnError()
    {
        // Given
        var missing = NamesFixtures.Path("resolv.missing.conf");
        var problems = new List<string>();

        // When
        var optional = ResolverDiscovery.ReadPodResolvConf(missing, required: false, problems);
        var error = Assert.Throws<ResolverDiscoveryException>(() => ResolverDiscovery.ReadPodResolvConf(missing, required: true, []));

        // Then
        Assert.Null(optional);
        Assert.StartsWith($"{missing}: cannot read (", Assert.Single(problems), StringComparison.Ordinal);
        Assert.StartsWith($"--resolv-conf {missing}: cannot read: ", error.Message, StringComparison.Ordinal);
    }
}
