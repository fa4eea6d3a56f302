using System.Net;
using DnsClient;
using KubeTriage.Names;

namespace KubeTriage.Tests.Names;

public sealed class DnsProberTests
{
    private static readonly TimeSpan ShortTimeout = TimeSpan.FromMilliseconds(300);

    private static DnsProber Prober(int retries = 0) => new(TimeSpan.FromSeconds(5), retries, maxParallel: 4);

    [Fact]
    public async Task ProbeReturnsTheAddressesOfAnAnswer()
    {
        // Given
        await using var server = LoopbackDnsServer.Start(q => LoopbackReply.Address(q.Name, "198.18.3.2", "198.18.3.3"));

        // When
        var probe = await Prober().ProbeAsync("oss.example.com", QueryType.A, server.Resolver(), CancellationToken.None);

        // Then
        Assert.Equal(DnsProbeOutcome.Answered, probe.Outcome);
        Assert.Equal("NOERROR", probe.Rcode);
        Assert.Equal(["198.18.3.2", "198.18.3.3"], probe.Answers);
        Assert.Empty(probe.CnameChain);
        Assert.Equal("udp", probe.Transport);
        Assert.NotNull(probe.LatencySeconds);
        Assert.Equal(1, probe.Queries);
        Assert.Equal("oss.example.com", Assert.Single(server.Received).Name);
    }

    [Fact]
    public async Task ProbeReturnsAaaaAddressesForAaaaQuestions()
    {
        // Given
        await using var server = LoopbackDnsServer.Start(q =>
            q.Type == "AAAA" ? LoopbackReply.Address(q.Name, "2001:db8::2") : LoopbackReply.Address(q.Name, "198.18.3.2"));

        // When
        var probe = await Prober().ProbeAsync("oss.example.com", QueryType.AAAA, server.Resolver(), CancellationToken.None);

        // Then
        Assert.Equal(["2001:db8::2"], probe.Answers);
        Assert.Equal("AAAA", probe.Type);
    }

    [Theory]
    [InlineData(3, "NXDOMAIN")]
    [InlineData(2, "SERVFAIL")]
    [InlineData(5, "REFUSED")]
    public async Task ProbeKeepsTheErrorRcode(int rcode, string expected)
    {
        // Given
        await using var server = LoopbackDnsServer.Start(_ => new LoopbackReply(rcode, []));

        // When
        var probe = await Prober().ProbeAsync("missing.example.com", QueryType.A, server.Resolver(), CancellationToken.None);

        // Then
        Assert.Equal(DnsProbeOutcome.Answered, probe.Outcome);
        Assert.Equal(expected, probe.Rcode);
        Assert.Empty(probe.Answers);
        Assert.Single(server.Received);
    }

    [Fact]
    public async Task ProbeReportsATimeoutWhenTheServerNeverAnswers()
    {
        // Given
        await using var server = LoopbackDnsServer.Start(_ => LoopbackReply.Never());
        var prober = new DnsProber(ShortTimeout, retries: 0, maxParallel: 4);

        // When
        var probe = await prober.ProbeAsync("oss.example.com", QueryType.A, server.Resolver(), CancellationToken.None);

        // Then
        Assert.Equal(DnsProbeOutcome.Timeout, probe.Outcome);
        Assert.Null(probe.Rcode);
        Assert.Null(probe.LatencySeconds);
        Assert.Single(server.Received);
    }

    [Fact]
    public async Task ProbeRetriesOnlyAsConfigured()
    {
        // Given
        await using var server = LoopbackDnsServer.Start(_ => LoopbackReply.Never());
        var prober = new DnsProber(ShortTimeout, retries: 1, maxParallel: 4);

        // When
        var probe = await prober.ProbeAsync("oss.example.com", QueryType.A, server.Resolver(), CancellationToken.None);

        // Then
        Assert.Equal(DnsProbeOutcome.Timeout, probe.Outcome);
        Assert.Equal(2, server.Received.Count);
        Assert.Equal(2, probe.Queries);
    }

    [Fact]
    public async Task ProbeAsksAgainOverTcpWhenTheUdpAnswerIsTruncated()
    {
        // Given
        await using var server = LoopbackDnsServer.Start(q =>
            LoopbackReply.Address(q.Name, "198.18.3.2") with { TruncateOverUdp = true });

        // When
        var probe = await Prober().ProbeAsync("oss.example.com", QueryType.A, server.Resolver(), CancellationToken.None);

        // Then
        Assert.Equal(["198.18.3.2"], probe.Answers);
        Assert.Equal("udp+tcp", probe.Transport);
        Assert.True(probe.Truncated);
        Assert.Equal(2, probe.Queries);
        Assert.Equal([false, true], server.Received.Select(q => q.OverTcp));
    }

    [Fact]
    public async Task ProbeReportsNoResponseWhenTheTcpRetryIsNeverAnswered()
    {
        // Given
        await using var server = LoopbackDnsServer.Start(q =>
            LoopbackReply.Address(q.Name, "198.18.3.2") with { TruncateOverUdp = true, SilentOverTcp = true });
        var prober = new DnsProber(ShortTimeout, retries: 0, maxParallel: 4);

        // When
        var probe = await prober.ProbeAsync("oss.example.com", QueryType.A, server.Resolver(), CancellationToken.None);

        // Then
        Assert.Equal(DnsProbeOutcome.Timeout, probe.Outcome);
        Assert.Equal("udp+tcp", probe.Transport);
        Assert.StartsWith("UDP answer truncated; TCP retry:", probe.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DnsClientFallsBackToTcpOnTruncationWithItsDefaultOptions()
    {
        // Given: DnsClient's own fallback, which the prober replaces by an explicit TCP leg it can report.
        await using var server = LoopbackDnsServer.Start(q =>
            LoopbackReply.Address(q.Name, "198.18.3.2") with { TruncateOverUdp = true });
        var client = new LookupClient(new LookupClientOptions(new NameServer(IPAddress.Loopback, server.Port)) { UseCache = false });

        // When
        var response = await client.QueryAsync("oss.example.com", QueryType.A);

        // Then
        Assert.Equal("198.18.3.2", Assert.Single(response.Answers.ARecords()).Address.ToString());
        Assert.Equal([false, true], server.Received.Select(q => q.OverTcp));
    }

    [Fact]
    public async Task ProbeFollowsACnameChainInTheAnswer()
    {
        // Given
        await using var server = LoopbackDnsServer.Start(q => new LoopbackReply(0,
        [
            new LoopbackRecord("oss.example.com", "CNAME", "oss.region.example.net"),
            new LoopbackRecord("oss.region.example.net", "CNAME", "edge-7.example.net"),
            new LoopbackRecord("edge-7.example.net", "A", "198.19.249.132"),
        ]));

        // When
        var probe = await Prober().ProbeAsync("oss.example.com", QueryType.A, server.Resolver(), CancellationToken.None);

        // Then
        Assert.Equal(["oss.example.com", "oss.region.example.net", "edge-7.example.net"], probe.CnameChain);
        Assert.Equal(["198.19.249.132"], probe.Answers);
        Assert.Equal(1, probe.Queries);
    }

    [Fact]
    public async Task ProbeAsksTheEndOfAChainThatCameWithoutAddresses()
    {
        // Given
        await using var server = LoopbackDnsServer.Start(q => q.Name switch
        {
            "oss.example.com" => new LoopbackReply(0, [new LoopbackRecord("oss.example.com", "CNAME", "edge.example.net")]),
            "edge.example.net" => LoopbackReply.Address("edge.example.net", "198.18.3.9"),
            _ => LoopbackReply.NxDomain(),
        });

        // When
        var probe = await Prober().ProbeAsync("oss.example.com", QueryType.A, server.Resolver(), CancellationToken.None);

        // Then
        Assert.Equal(["oss.example.com", "edge.example.net"], probe.CnameChain);
        Assert.Equal(["198.18.3.9"], probe.Answers);
        Assert.Equal(2, probe.Queries);
        Assert.Equal(["oss.example.com", "edge.example.net"], server.Received.Select(q => q.Name));
    }

    [Fact]
    public async Task ProbeStopsOnACnameLoop()
    {
        // Given
        await using var server = LoopbackDnsServer.Start(q => q.Name == "a.example.com"
            ? new LoopbackReply(0, [new LoopbackRecord("a.example.com", "CNAME", "b.example.com")])
            : new LoopbackReply(0, [new LoopbackRecord("b.example.com", "CNAME", "a.example.com")]));

        // When
        var probe = await Prober().ProbeAsync("a.example.com", QueryType.A, server.Resolver(), CancellationToken.None);

        // Then
        Assert.Equal(DnsProbeOutcome.Answered, probe.Outcome);
        Assert.Empty(probe.Answers);
        Assert.Equal(["a.example.com", "b.example.com", "a.example.com"], probe.CnameChain);
        Assert.Equal("CNAME chain loops back to a.example.com", probe.Error);
        Assert.Equal(2, server.Received.Count);
    }

    [Fact]
    public async Task ProbeNeverAnswersFromACache()
    {
        // Given
        await using var server = LoopbackDnsServer.Answering("198.18.3.2");
        var prober = Prober();

        // When
        await prober.ProbeAsync("oss.example.com", QueryType.A, server.Resolver(), CancellationToken.None);
        await prober.ProbeAsync("oss.example.com", QueryType.A, server.Resolver(), CancellationToken.None);

        // Then
        Assert.Equal(2, server.Received.Count);
    }
}
