using KubeTriage.Names;

namespace KubeTriage.Tests.Names;

public sealed class ResolverArgumentTests
{
    [Theory]
    [InlineData("10.96.0.10", "10.96.0.10", 53, ResolverRole.Given)]
    [InlineData("10.0.0.2:5353", "10.0.0.2", 5353, ResolverRole.Given)]
    [InlineData("10.0.0.2=upstream", "10.0.0.2", 53, ResolverRole.Upstream)]
    [InlineData("10.96.0.10:53=cluster-dns", "10.96.0.10", 53, ResolverRole.ClusterDns)]
    [InlineData("fd00::53", "fd00::53", 53, ResolverRole.Given)]
    [InlineData("[fd00::53]:5353=node", "fd00::53", 5353, ResolverRole.Node)]
    public void TryParseReadsAddressPortAndRole(string text, string address, int port, ResolverRole role)
    {
        // Given
        // When
        var ok = ResolverArgument.TryParse(text, out var resolver, out var error);

        // Then
        Assert.True(ok, error);
        Assert.Equal((address, port, role), (resolver.Address, resolver.Port, resolver.Role));
        Assert.Equal("--resolver", resolver.Source);
    }

    [Theory]
    [InlineData("1.2.3", "--resolver 1.2.3: not an IP address or IP:port (e.g. 10.96.0.10 or 10.0.0.2:5353)")]
    [InlineData("10.0.0.256", "--resolver 10.0.0.256: not an IP address or IP:port (e.g. 10.96.0.10 or 10.0.0.2:5353)")]
    [InlineData("dns.example.com", "--resolver dns.example.com: not an IP address or IP:port (e.g. 10.96.0.10 or 10.0.0.2:5353)")]
    [InlineData("10.0.0.2:0", "--resolver 10.0.0.2:0: not an IP address or IP:port (e.g. 10.96.0.10 or 10.0.0.2:5353)")]
    [InlineData("10.0.0.2:70000", "--resolver 10.0.0.2:70000: not an IP address or IP:port (e.g. 10.96.0.10 or 10.0.0.2:5353)")]
    [InlineData("10.0.0.2=primary", "--resolver 10.0.0.2=primary: role 'primary' is not one of cluster-dns, upstream, node")]
    public void TryParseRejectsWithOneLine(string text, string expected)
    {
        // Given
        // When
        var ok = ResolverArgument.TryParse(text, out _, out var error);

        // Then
        Assert.False(ok);
        Assert.Equal(expected, error);
    }

    [Theory]
    [InlineData("198.18.2.10", 53, "198.18.2.10")]
    [InlineData("198.18.2.10", 5353, "198.18.2.10:5353")]
    [InlineData("fd00::53", 5353, "[fd00::53]:5353")]
    public void EndpointShowsThePortOnlyOffPort53(string address, int port, string expected)
    {
        // Given
        var resolver = new DnsResolver(address, port, ResolverRole.Upstream, "test");

        // When
        var endpoint = resolver.Endpoint;

        // Then
        Assert.Equal(expected, endpoint);
        Assert.Equal($"{expected} (upstream)", resolver.Label);
    }
}
