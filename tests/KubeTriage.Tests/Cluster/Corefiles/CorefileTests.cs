using System.Net;
using KubeTriage.Cluster.Corefiles;
using KubeTriage.Names;

namespace KubeTriage.Tests.Cluster.Corefiles;

public sealed class CorefileTests
{
    private const string KubeadmStyle = """
        .:53 {
            errors
            health {
               lameduck 5s
            }
            ready
            kubernetes cluster.local in-addr.arpa ip6.arpa {
               pods insecure
               fallthrough in-addr.arpa ip6.arpa
               ttl 30
            }
            prometheus :9153
            forward . /etc/resolv.conf {
               max_concurrent 1000
            }
            cache 30 {
               disable success cluster.local
            }
            loop
            reload
            loadbalance
        }
        """;

    [Fact]
    public void ReadsTheKubeadmStyleServerBlock()
    {
        // Given / When
        var corefile = Corefile.Parse(KubeadmStyle);

        // Then
        Assert.Empty(corefile.Problems);
        var block = Assert.Single(corefile.ServerBlocks);
        Assert.Equal(["."], block.Zones);
        Assert.Equal(["errors", "health", "ready", "kubernetes", "prometheus", "forward", "cache", "loop", "reload", "loadbalance"], block.Plugins);
        Assert.True(corefile.HasLoopPlugin);
        Assert.Equal(["cluster.local", "in-addr.arpa", "ip6.arpa"], corefile.KubernetesZones);
        var forward = Assert.Single(corefile.Forwards);
        Assert.True(forward.UsesResolvConf);
        Assert.Equal("/etc/resolv.conf", Assert.Single(forward.Targets).FilePath);
        Assert.Equal(["max_concurrent 1000"], forward.Options);
        Assert.Equal(13, forward.Line);
    }

    [Fact]
    public void ExtractsForwardTargetsPerZoneAsIpAndPort()
    {
        // Given: double spaces, a stub zone, ports, schemes, IPv6, a quoted path and a legacy proxy line
        const string text = """
            .:53 {
                errors
                forward .  198.18.2.11 198.18.2.12:5353 {
                  policy sequential
                  health_check 5s
                }
                cache 30
            }
            shop.internal:53 {
                forward . dns://10.20.0.2 tls://10.20.0.3 [fd00:198:18::11]:53 fd00:198:18::12
            }
            legacy.lab {
                proxy . "/etc/resolv.conf"
            }
            """;

        // When
        var corefile = Corefile.Parse(text);

        // Then
        Assert.Empty(corefile.Problems);
        Assert.Equal(3, corefile.Forwards.Count);
        Assert.Equal(["198.18.2.11:53", "198.18.2.12:5353"], corefile.Forwards[0].Targets.Select(t => t.Address));
        Assert.Equal(["."], corefile.Forwards[0].Zones);
        Assert.Equal(["shop.internal."], corefile.Forwards[1].Zones);
        Assert.Equal(["10.20.0.2:53", "10.20.0.3:853", "[fd00:198:18::11]:53", "[fd00:198:18::12]:53"], corefile.Forwards[1].Targets.Select(t => t.Address));
        Assert.Equal("tls", corefile.Forwards[1].Targets[1].Transport);
        Assert.Equal("proxy", corefile.Forwards[2].Plugin);
        Assert.Equal(["legacy.lab."], corefile.Forwards[2].Zones);
        Assert.True(corefile.Forwards[2].UsesResolvConf);
    }

    [Fact]
    public void ExpandsResolvConfTargetsThroughTheGivenFile()
    {
        // Given
        var corefile = Corefile.Parse(KubeadmStyle + "\nshop.internal:53 {\n    forward . 10.20.0.2\n}\n");
        var nodeResolvConf = ResolvConf.Parse("search lab.internal\nnameserver 198.18.2.11\nnameserver 198.18.2.12\n");

        // When
        var upstreams = corefile.Upstreams(path => path == "/etc/resolv.conf" ? nodeResolvConf : null);
        var withoutFile = corefile.Upstreams();

        // Then
        Assert.Equal([IPEndPoint.Parse("198.18.2.11:53"), IPEndPoint.Parse("198.18.2.12:53"), IPEndPoint.Parse("10.20.0.2:53")], upstreams);
        Assert.Equal([IPEndPoint.Parse("10.20.0.2:53")], withoutFile);
    }

    [Fact]
    public void ReadsASingleBlockWithoutBracesAndComments()
    {
        // Given
        const string text = """
            # one block, Caddy allows omitting the braces
            .:53
            errors   # trailing comment
            forward . 198.18.2.11
            """;

        // When
        var corefile = Corefile.Parse(text);

        // Then
        Assert.Empty(corefile.Problems);
        Assert.Equal(["errors", "forward"], Assert.Single(corefile.ServerBlocks).Plugins);
        Assert.Equal("198.18.2.11:53", Assert.Single(corefile.Forwards).Targets[0].Address);
    }

    [Fact]
    public void SkipsSnippetsAndKeepsEnvironmentPlaceholders()
    {
        // Given
        const string text = """
            (common) {
                errors
                cache 30
            }
            .:{$DNS_PORT} {
                import common
                forward . 198.18.2.11
            }
            """;

        // When
        var corefile = Corefile.Parse(text);

        // Then
        Assert.Empty(corefile.Problems);
        var block = Assert.Single(corefile.ServerBlocks);
        Assert.Equal([".:{$DNS_PORT}"], block.Keys);
        Assert.Equal(["import", "forward"], block.Plugins);
    }

    [Theory]
    [InlineData(".:53 {\n  forward . 198.18.2.11\n", "line 1: block opened here is not closed")]
    [InlineData(".:53 {\n  forward .\n}\n", "line 2: 'forward .' needs FROM and at least one TO")]
    [InlineData(".:53 {\n  forward . upstream.lab\n}\n", "line 2: forward target 'upstream.lab' is not an IP address or file")]
    [InlineData(".:53 {\n  forward . 198.18.2.11\n}\n}\n", "line 4: unexpected '}'")]
    [InlineData(".:53 {\n  forward . \"198.18.2.11\n}\n", "line 2: quote is not closed")]
    public void ReportsWhatItCannotReadAndKeepsTheRest(string text, string problem)
    {
        // Given / When
        var corefile = Corefile.Parse(text);

        // Then
        Assert.Contains(problem, corefile.Problems);
        Assert.NotEmpty(corefile.ServerBlocks);
    }

    [Fact]
    public void SurvivesDeepNestingAndGarbage()
    {
        // Given
        var deep = ".:53 {\n" + string.Concat(Enumerable.Repeat("a {\n", 100)) + string.Concat(Enumerable.Repeat("}\n", 101));
        var random = new Random(99);
        var garbage = new string(Enumerable.Range(0, 5000).Select(_ => "{}\"#\n .:53abc/"[random.Next(13)]).ToArray());

        // When
        var nested = Corefile.Parse(deep);
        var noise = Corefile.Parse(garbage);

        // Then
        Assert.Contains(nested.Problems, p => p.Contains("nested deeper", StringComparison.Ordinal));
        Assert.NotNull(noise.ServerBlocks);
    }

    [Theory]
    [InlineData("198.18.2.11", "198.18.2.11:53")]
    [InlineData("198.18.2.11:5353", "198.18.2.11:5353")]
    [InlineData("[fd00::1]:53", "[fd00::1]:53")]
    [InlineData("fd00::1", "[fd00::1]:53")]
    [InlineData("[fd00::1]", "[fd00::1]:53")]
    [InlineData("10.1", null)]
    [InlineData("198.18.2.11:0", null)]
    [InlineData("198.18.2.11:99999", null)]
    public void ParsesForwardEndpoints(string text, string? expected)
    {
        // Given / When
        var ok = CorefileForwardTarget.TryParseEndpoint(text, 53, out var endpoint);

        // Then
        Assert.Equal(expected is not null, ok);
        Assert.Equal(expected, endpoint?.ToString());
    }
}
