using System.Net;
using KubeTriage.Node;

namespace KubeTriage.Tests.Node;

public class IpRouteParserTests
{
    [Fact]
    public void ReadsMainRoutesWithoutATableKeyAndOtherTablesByName()
    {
        // Given
        var json = NodeTestData.Read("eni-healthy", "ip-route.json");

        // When
        var result = IpRouteParser.Parse(json);

        // Then
        Assert.Empty(result.Problems);
        Assert.Equal(
            ["default via 198.18.1.1 dev eth1", "198.18.1.1 dev eth1 scope link"],
            result.Items.Where(r => r.Table == "2").Select(r => r.Text));
        Assert.Equal(
            [
                "default via 198.18.0.1 dev eth0",
                "198.18.0.0/24 dev eth0 proto kernel scope link src 198.18.0.10",
                "198.18.0.30 dev eni7c1d2e8f04b scope link",
                "198.18.1.0/24 dev eth1 proto kernel scope link src 198.18.1.10",
                "198.18.1.20 dev eni5d0e6b3c9a1 scope link",
            ],
            result.Items.Where(r => r.Table == "main").Select(r => r.Text));
        Assert.All(result.Items.Where(r => r.Table == "local"), r => Assert.NotEqual(Route.Unicast, r.Type));
        var fallback = result.Items.Single(r => r.Table == "main" && r.IsDefault);
        Assert.Equal(IPAddress.Parse("198.18.0.1"), fallback.Gateway);
        Assert.Equal("0.0.0.0/0", fallback.Destination.ToString());
    }

    [Fact]
    public void ReadsAnEmptiedTableAsNoRoutes()
    {
        // Given: after `ip route flush table 2`
        var json = NodeTestData.Read("eni-route", "ip-route.json");

        // When
        var routes = IpRouteParser.Parse(json).Items;

        // Then
        Assert.DoesNotContain(routes, r => r.Table == "2");
        Assert.Contains(routes, r => r.Table == "main" && r.IsDefault && r.Dev == "eth0");
    }

    [Fact]
    public void ReadsTypesFlagsMetricsAndProtocols()
    {
        // Given
        var json = NodeTestData.Read("rules-variety", "ip-route.json");

        // When
        var routes = IpRouteParser.Parse(json).Items;

        // Then
        Assert.Equal(["linkdown"], routes.Single(r => r.Destination.ToString() == "198.18.26.0/24").Flags);
        Assert.Equal(["onlink"], routes.Single(r => r.Destination.ToString() == "198.18.27.0/24").Flags);
        var stat = routes.Single(r => r.Destination.ToString() == "198.18.20.0/24");
        Assert.Equal(50, stat.Metric);
        Assert.Equal("static", stat.Protocol);
        Assert.Equal("100", stat.Table);
        Assert.Equal("unreachable", routes.Single(r => r.Destination.ToString() == "198.18.21.0/24").Type);
        Assert.Equal("throw", routes.Single(r => r.Destination.ToString() == "198.18.22.0/24").Type);
        Assert.Equal("blackhole 198.18.23.0/24", routes.Single(r => r.Destination.ToString() == "198.18.23.0/24").Text);
        Assert.Equal("prohibit", routes.Single(r => r.Destination.ToString() == "198.18.24.0/24").Type);
    }

    [Fact]
    public void TellsAnIpv6DefaultFromAnIpv4OneByPref()
    {
        // Given: "dst":"default" names /0 of the route's family, which only "pref" (IPv6 routes carry it) reveals
        const string json = """
            [{"dst":"default","gateway":"fe80::1","dev":"eth0","protocol":"ra","metric":1024,"flags":[],"pref":"medium"},
             {"dst":"default","dev":"eth0","metric":1024,"flags":[],"pref":"medium","type":"unreachable"},
             {"dst":"fe80::/64","dev":"eth0","protocol":"kernel","metric":256,"flags":[],"pref":"medium"}]
            """;

        // When
        var routes = IpRouteParser.Parse(json).Items;

        // Then
        Assert.All(routes, r => Assert.Equal("inet6", r.Family));
        Assert.Equal("::/0", routes[0].Destination.ToString());
        Assert.Equal("::/0", routes[1].Destination.ToString());
    }

    [Fact]
    public void UsesTheGivenTableWhenOneTableWasSelected()
    {
        // Given: `ip -j route show table 2` omits the table key on every route
        const string json = """[{"dst":"default","gateway":"198.18.1.1","dev":"eth1","flags":[]},{"dst":"198.18.1.1","dev":"eth1","scope":"link","flags":[]}]""";

        // When
        var routes = IpRouteParser.Parse(json, tableWhenAbsent: "2").Items;

        // Then
        Assert.All(routes, r => Assert.Equal("2", r.Table));
    }

    [Fact]
    public void TakesTheFirstHopOfAMultipathRoute()
    {
        // Given
        const string json = """[{"dst":"default","protocol":"static","metric":10,"flags":[],"nexthops":[{"gateway":"198.18.0.1","dev":"eth0","weight":1,"flags":[]},{"gateway":"198.18.1.1","dev":"eth1","weight":1,"flags":[]}]}]""";

        // When
        var route = Assert.Single(IpRouteParser.Parse(json).Items);

        // Then
        Assert.Equal("eth0", route.Dev);
        Assert.Equal(IPAddress.Parse("198.18.0.1"), route.Gateway);
        Assert.Contains("multipath", route.Flags);
    }

    [Fact]
    public void ReportsRoutesItCannotReadAndKeepsTheRest()
    {
        // Given
        const string json = """[{"dst":"198.18.999.0/24","dev":"eth0"},{"gateway":"198.18.0.1"},{"dst":"default","gateway":"gw","dev":"eth0"},{"dst":"default","gateway":"198.18.0.1","dev":"eth0"}]""";

        // When
        var result = IpRouteParser.Parse(json);

        // Then
        Assert.Single(result.Items);
        Assert.Equal(
            ["route 1: dst '198.18.999.0/24' is not an address", "route 2: no dst", "route 3: default: gateway 'gw' is not an address"],
            result.Problems);
    }
}
