using KubeTriage.Cluster.Logs;

namespace KubeTriage.Tests.Cluster.Logs;

public sealed class CoreDnsLogSummaryTests
{
    [Fact]
    public void CountsByClassAndByUpstreamWithFirstAndLastSamples()
    {
        // Given
        const string log = """
            .:53
            CoreDNS-1.10.1
            linux/amd64, go1.20, 055b2c3
            [ERROR] plugin/errors: 2 1234.5678. HINFO: read udp 198.18.1.30:1000->198.18.2.11:53: i/o timeout
            [ERROR] plugin/errors: 2 example-api.com. A: read udp 198.18.1.30:1001->198.18.2.11:53: i/o timeout
            [ERROR] plugin/errors: 2 example-api.com. A: read udp 198.18.1.30:1002->198.18.2.12:53: read: connection refused
            [ERROR] plugin/errors: 2 oss.example.com. A: read udp 198.18.1.30:1003->198.18.2.11:53: i/o timeout
            [ERROR] plugin/errors: 7 errors like '^read udp .* i/o timeout$' occurred in last 5m0s
            [WARNING] plugin/kubernetes: Kubernetes API connection failure: Get "https://10.96.0.1:443/version": dial tcp 10.96.0.1:443: i/o timeout
            [INFO] plugin/ready: Still waiting on: "kubernetes"
            """;

        // When
        var summary = CoreDnsLogSummary.Of(log);

        // Then
        Assert.Equal("1.10.1", summary.Version);
        Assert.Equal(11, summary.Count(CoreDnsLogClass.UpstreamTimeout));
        Assert.Equal(1, summary.Count(CoreDnsLogClass.ApiServerUnreachable));
        Assert.Equal(1, summary.Count(CoreDnsLogClass.ReadyWaiting));
        Assert.Equal([CoreDnsLogSummary.UnknownAddress, "198.18.2.11:53", "198.18.2.12:53"], summary.Upstreams.Select(u => u.Address));
        var first = summary.Upstreams[1];
        Assert.Equal(3, first.Count);
        Assert.Equal(1, first.LoopProbes);
        Assert.Contains("1234.5678. HINFO", first.First.Text, StringComparison.Ordinal);
        Assert.Contains("oss.example.com.", first.Last.Text, StringComparison.Ordinal);
        Assert.Equal(1, summary.Upstreams.Single(u => u.Address == "198.18.2.12:53").Kinds["connection refused"]);
        Assert.Equal(7, summary.Upstreams.Single(u => u.Address == CoreDnsLogSummary.UnknownAddress).Count);
        Assert.Equal("10.96.0.1:443", Assert.Single(summary.ApiServers).Address);
        Assert.Equal(["kubernetes"], summary.NotReadyPlugins);
    }

    [Fact]
    public void MergesThePreviousAndCurrentLogOfAPod()
    {
        // Given
        var previous = CoreDnsLogSummary.Of("[ERROR] plugin/errors: 2 a.lab. A: read udp 198.18.1.30:1->198.18.2.11:53: i/o timeout\n");
        var current = CoreDnsLogSummary.Of("[ERROR] plugin/errors: 2 b.lab. A: read udp 198.18.1.30:2->198.18.2.11:53: i/o timeout\n[ERROR] plugin/errors: 2 c.lab. A: read udp 198.18.1.30:3->198.18.2.12:53: i/o timeout\n");

        // When
        var merged = CoreDnsAddressStatsMerger.Merge([previous.Upstreams, current.Upstreams]);

        // Then
        Assert.Equal(2, merged[0].Count);
        Assert.Contains("a.lab.", merged[0].First.Text, StringComparison.Ordinal);
        Assert.Contains("b.lab.", merged[0].Last.Text, StringComparison.Ordinal);
        Assert.Equal("i/o timeout ×2", CoreDnsAddressStatsMerger.DescribeKinds(merged[0]));
    }
}
