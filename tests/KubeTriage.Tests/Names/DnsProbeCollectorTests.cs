using KubeTriage.Names;

namespace KubeTriage.Tests.Names;

public sealed class DnsProbeCollectorTests
{
    private const string PodResolvConf = """
        search default.svc.cluster.local svc.cluster.local cluster.local
        nameserver 127.0.0.1
        options ndots:5
        """;

    private static DnsProbeCollector Collector(TimeSpan? timeout = null) =>
        new(new DnsProber(timeout ?? TimeSpan.FromSeconds(5), retries: 0, maxParallel: 4));

    /// <summary>Cluster DNS as CoreDNS behaves: NXDOMAIN inside cluster.local, the real answer outside.</summary>
    private static LoopbackReply ClusterDnsScript(LoopbackQuestion q) => q.Name.EndsWith("cluster.local", StringComparison.Ordinal)
        ? LoopbackReply.NxDomain()
        : q.Type == "A" ? LoopbackReply.Address(q.Name, "198.18.3.2") : LoopbackReply.NoData();

    [Fact]
    public async Task CollectAsksEveryNameOfEveryResolverForAAndAaaa()
    {
        // Given
        await using var first = LoopbackDnsServer.Answering("198.18.3.2");
        await using var second = LoopbackDnsServer.Answering("198.19.249.132");
        DnsResolver[] resolvers = [first.Resolver(ResolverRole.ClusterDns), second.Resolver(ResolverRole.Upstream)];

        // When
        var results = await Collector().CollectAsync(["oss.example.com", "example-api.com."], resolvers, null, CancellationToken.None);

        // Then
        Assert.Equal(["oss.example.com", "example-api.com"], results.Names);
        Assert.Equal(8, results.Probes.Count);
        Assert.Equal(["198.18.3.2"], results.For("oss.example.com", resolvers[0]).Single(p => p.Type == "A").Answers);
        Assert.Equal(["198.19.249.132"], results.For("oss.example.com", resolvers[1]).Single(p => p.Type == "A").Answers);
        Assert.Equal(4, first.Received.Count);
        Assert.Empty(results.SearchExpansions);
        Assert.Equal("not replayed: the pod's resolv.conf is unknown (give --resolv-conf FILE)", results.SearchExpansionNote);
    }

    [Fact]
    public async Task SearchExpansionShowsTheNxDomainsAPodPaysBeforeTheAnswer()
    {
        // Given
        await using var server = LoopbackDnsServer.Start(ClusterDnsScript);
        var resolver = server.Resolver(ResolverRole.ClusterDns);

        // When
        var expansion = await Collector().ExpandAsync("oss.example.com", resolver, ResolvConf.Parse(PodResolvConf), CancellationToken.None);

        // Then
        Assert.Equal(
            ["oss.example.com.default.svc.cluster.local", "oss.example.com.svc.cluster.local", "oss.example.com.cluster.local", "oss.example.com"],
            expansion.Steps.Select(s => s.Candidate));
        Assert.Equal("oss.example.com", expansion.AnsweredBy);
        Assert.Equal(3, expansion.NxDomains);
        Assert.Equal(8, expansion.Queries);
        Assert.Equal(8, server.Received.Count);
        Assert.Equal(5, expansion.Ndots);
        Assert.Equal("answered", expansion.Stopped);
        Assert.Equal(["198.18.3.2"], expansion.Steps[^1].Answers);
        Assert.Equal("NXDOMAIN", expansion.Steps[0].ARcode);
    }

    [Fact]
    public async Task SearchExpansionAsksTheNameFirstWhenItHasNdotsDots()
    {
        // Given
        await using var server = LoopbackDnsServer.Start(ClusterDnsScript);
        var resolvConf = ResolvConf.Parse(PodResolvConf.Replace("ndots:5", "ndots:2", StringComparison.Ordinal));

        // When
        var expansion = await Collector().ExpandAsync("oss.example.com", server.Resolver(ResolverRole.ClusterDns), resolvConf, CancellationToken.None);

        // Then
        Assert.Equal(["oss.example.com"], expansion.Steps.Select(s => s.Candidate));
        Assert.Equal(0, expansion.NxDomains);
        Assert.Equal(2, expansion.Queries);
    }

    [Fact]
    public async Task SearchExpansionMovesOnAfterServfailAndStopsAtRefused()
    {
        // Given: SERVFAIL on the first search domain, REFUSED on the second (glibc stops there).
        await using var server = LoopbackDnsServer.Start(q => q.Name switch
        {
            "oss.example.com.default.svc.cluster.local" => LoopbackReply.ServFail(),
            "oss.example.com.svc.cluster.local" => LoopbackReply.Refused(),
            _ => ClusterDnsScript(q),
        });

        // When
        var expansion = await Collector().ExpandAsync("oss.example.com", server.Resolver(ResolverRole.ClusterDns), ResolvConf.Parse(PodResolvConf), CancellationToken.None);

        // Then
        Assert.Equal(2, expansion.Steps.Count);
        Assert.Null(expansion.AnsweredBy);
        Assert.Equal("REFUSED for A ends the search", expansion.Stopped);
    }

    [Fact]
    public async Task SearchExpansionStopsAtATimeoutAndCountsItsCost()
    {
        // Given
        await using var server = LoopbackDnsServer.Start(_ => LoopbackReply.Never());
        var timeout = TimeSpan.FromMilliseconds(200);

        // When
        var expansion = await Collector(timeout).ExpandAsync("oss.example.com", server.Resolver(ResolverRole.ClusterDns), ResolvConf.Parse(PodResolvConf), CancellationToken.None);

        // Then
        var step = Assert.Single(expansion.Steps);
        Assert.Null(step.ARcode);
        Assert.Null(step.LatencySeconds);
        Assert.Equal(0.2, expansion.TotalSeconds, 3);
        Assert.Equal("A timed out, which ends the search", expansion.Stopped);
    }

    [Fact]
    public async Task CollectReplaysTheSearchListAgainstTheClusterDnsResolverOnly()
    {
        // Given
        await using var cluster = LoopbackDnsServer.Start(ClusterDnsScript);
        await using var upstream = LoopbackDnsServer.Answering("198.18.3.2");
        DnsResolver[] resolvers = [upstream.Resolver(ResolverRole.Upstream), cluster.Resolver(ResolverRole.ClusterDns)];

        // When
        var results = await Collector().CollectAsync(["oss.example.com"], resolvers, ResolvConf.Parse(PodResolvConf), CancellationToken.None);

        // Then
        var expansion = Assert.Single(results.SearchExpansions);
        Assert.Equal(resolvers[1], expansion.Resolver);
        Assert.Null(results.SearchExpansionNote);
        Assert.DoesNotContain(upstream.Received, q => q.Name.EndsWith("cluster.local", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DnsCheckFindsTheUnexpectedAnswerAndTheDisagreement()
    {
        // Given: cluster DNS answers the dedicated line, one upstream the public path.
        await using var cluster = LoopbackDnsServer.Answering("198.18.3.2");
        await using var upstream = LoopbackDnsServer.Answering("198.19.249.132");
        var expectations = ExpectationsLoader.Parse("dependencies:\n  - name: oss.example.com\n    resolvesTo: [198.18.3.0/24]\n", "expect.yaml");
        var request = new DnsCheckRequest(["oss.example.com"],
            [cluster.Resolver(ResolverRole.ClusterDns), upstream.Resolver(ResolverRole.Upstream)],
            null, expectations, TimeSpan.FromSeconds(5));

        // When
        var result = await DnsCheck.RunAsync(request, CancellationToken.None);

        // Then
        Assert.Equal(
            [$"critical dns.unexpected-answer oss.example.com @ 127.0.0.1:{upstream.Port}", "warning dns.resolver-disagreement oss.example.com"],
            result.Findings.Select(f => $"{f.Severity.ToString().ToLowerInvariant()} {f.Id} {f.Subject}"));
        Assert.Empty(result.Problems);
    }
}
