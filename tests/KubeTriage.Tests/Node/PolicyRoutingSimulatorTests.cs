using System.Net;
using KubeTriage.Node;

namespace KubeTriage.Tests.Node;

public class PolicyRoutingSimulatorTests
{
    private static readonly IPAddress Probe = IPAddress.Parse("192.0.2.1");

    [Theory]
    [InlineData("eni-healthy", "198.18.1.20")]
    [InlineData("eni-healthy", "198.18.0.30")]
    [InlineData("eni-route", "198.18.1.20")]
    [InlineData("eni-route", "198.18.0.30")]
    [InlineData("eni-nic", "198.18.1.20")]
    [InlineData("eni-nic", "198.18.0.30")]
    [InlineData("bridge-single-nic", "198.18.64.2")]
    [InlineData("calico-single-nic", "198.18.128.5")]
    public void AgreesWithTheKernelOnEveryRecordedLookup(string scenario, string pod)
    {
        // Given: the rules and routes of a recorded node, and the kernel's answer for the same query
        var rules = IpRuleParser.Parse(NodeTestData.Read(scenario, "ip-rule.json")).Items;
        var routes = IpRouteParser.Parse(NodeTestData.Read(scenario, "ip-route.json")).Items;
        var podIp = IPAddress.Parse(pod);
        var kernelJson = NodeTestData.Read(scenario, $"route-get-{pod}.json");
        var iif = IpRouteGetParser.Parse(kernelJson, Probe, podIp, null).Iif;
        var kernel = IpRouteGetParser.Parse(kernelJson, Probe, podIp, iif);

        // When
        var simulated = PolicyRoutingSimulator.Lookup(rules, routes, new RouteQuery(Probe, podIp, iif));

        // Then
        Assert.Equal(kernel.Dev, simulated.Dev);
        Assert.Equal(kernel.Gateway, simulated.Gateway);
        Assert.Equal(kernel.Table, simulated.Table);
        Assert.Equal(kernel.Type, simulated.Type);
        Assert.Equal(RouteLookup.Simulated, simulated.Origin);
    }

    [Fact]
    public void NamesTheRuleAndRouteItTook()
    {
        // Given
        var rules = IpRuleParser.Parse(NodeTestData.Read("eni-healthy", "ip-rule.json")).Items;
        var routes = IpRouteParser.Parse(NodeTestData.Read("eni-healthy", "ip-route.json")).Items;

        // When
        var lookup = PolicyRoutingSimulator.Lookup(rules, routes, new RouteQuery(Probe, IPAddress.Parse("198.18.1.20"), "eni5d0e6b3c9a1"));

        // Then
        Assert.Equal("rule 1536: from 198.18.1.20 lookup 2; route default via 198.18.1.1 dev eth1 (table 2)", lookup.Via);
    }

    [Fact]
    public void PrefersTheLongestPrefixThenTheLowestMetric()
    {
        // Given
        var routes = Routes("""
            [{"dst":"198.18.0.0/16","gateway":"198.18.0.1","dev":"eth0","flags":[]},
             {"dst":"198.18.5.0/24","gateway":"198.18.0.2","dev":"eth0","metric":200,"flags":[]},
             {"dst":"198.18.5.0/24","gateway":"198.18.0.3","dev":"eth0","metric":100,"flags":[]}]
            """);

        // When
        var near = PolicyRoutingSimulator.Lookup([], routes, new RouteQuery(IPAddress.Parse("198.18.5.9"), null, null));
        var far = PolicyRoutingSimulator.Lookup([], routes, new RouteQuery(IPAddress.Parse("198.18.9.9"), null, null));

        // Then
        Assert.Equal(IPAddress.Parse("198.18.0.3"), near.Gateway);
        Assert.Equal(IPAddress.Parse("198.18.0.1"), far.Gateway);
    }

    [Fact]
    public void MovesToTheNextRuleOnAThrowRouteOrATableWithoutMatch()
    {
        // Given: table 100 throws 198.18.22.0/24 and has nothing for 198.18.30.0/24
        var rules = Rules("""[{"priority":0,"src":"all","table":"local"},{"priority":100,"src":"all","table":"100"},{"priority":32766,"src":"all","table":"main"}]""");
        var routes = Routes("""
            [{"type":"throw","dst":"198.18.22.0/24","table":"100","flags":[]},
             {"dst":"198.18.20.0/24","gateway":"198.18.9.254","dev":"d0","table":"100","flags":[]},
             {"dst":"default","gateway":"198.18.9.1","dev":"d0","flags":[]}]
            """);

        // When
        var thrown = PolicyRoutingSimulator.Lookup(rules, routes, new RouteQuery(IPAddress.Parse("198.18.22.5"), null, null));
        var hit = PolicyRoutingSimulator.Lookup(rules, routes, new RouteQuery(IPAddress.Parse("198.18.20.5"), null, null));

        // Then
        Assert.Equal("main", thrown.Table);
        Assert.Equal("100", hit.Table);
    }

    [Fact]
    public void HonoursNotIifFwmarkGotoAndTerminalRules()
    {
        // Given: the recorded variety of rules
        var rules = IpRuleParser.Parse(NodeTestData.Read("rules-variety", "ip-rule.json")).Items;
        var routes = IpRouteParser.Parse(NodeTestData.Read("rules-variety", "ip-route.json")).Items;

        // When
        var unreachable = PolicyRoutingSimulator.Lookup(rules, routes, new RouteQuery(IPAddress.Parse("198.18.11.1"), null, null));
        var prohibited = PolicyRoutingSimulator.Lookup(rules, routes, new RouteQuery(IPAddress.Parse("198.18.13.1"), null, null));
        var blackholed = PolicyRoutingSimulator.Lookup(rules, routes, new RouteQuery(IPAddress.Parse("198.18.12.1"), null, null));
        var inverted = PolicyRoutingSimulator.Lookup(rules, routes, new RouteQuery(IPAddress.Parse("198.18.20.5"), IPAddress.Parse("198.18.40.1"), "d0"));
        var notInverted = PolicyRoutingSimulator.Lookup(rules, routes, new RouteQuery(IPAddress.Parse("198.18.10.7"), IPAddress.Parse("198.18.9.5"), "d0"));

        // Then
        Assert.Equal("Network is unreachable", unreachable.Error);
        Assert.Equal("Permission denied", prohibited.Error);
        Assert.Equal("blackhole", blackholed.Type);
        Assert.Equal("100", inverted.Table); // "not from 198.18.9.0/24 …" applies to a source outside it
        Assert.Equal("main", notInverted.Table); // every selector matches, so the inverted rule does not apply
        Assert.StartsWith("rule 32766", notInverted.Via, StringComparison.Ordinal);
        Assert.Contains("rule 107 not evaluated (ipproto tcp, dport 3306)", notInverted.Via, StringComparison.Ordinal);
    }

    [Fact]
    public void JumpsOverRulesOnGoto()
    {
        // Given
        var rules = Rules("""[{"priority":100,"src":"198.18.14.5","goto":300},{"priority":200,"src":"all","action":"unreachable"},{"priority":300,"src":"all","table":"main"}]""");
        var routes = Routes("""[{"dst":"default","gateway":"198.18.0.1","dev":"eth0","flags":[]}]""");

        // When
        var jumped = PolicyRoutingSimulator.Lookup(rules, routes, new RouteQuery(Probe, IPAddress.Parse("198.18.14.5"), "d0"));
        var stopped = PolicyRoutingSimulator.Lookup(rules, routes, new RouteQuery(Probe, IPAddress.Parse("198.18.14.6"), "d0"));

        // Then
        Assert.Equal("eth0", jumped.Dev);
        Assert.Equal("Network is unreachable", stopped.Error);
    }

    [Fact]
    public void SuppressesRoutesNoMoreSpecificThanTheGivenLength()
    {
        // Given: wg-quick style: main without its default, then a catch-all table
        var rules = Rules("""[{"priority":100,"src":"all","table":"main","suppress_prefixlen":0},{"priority":200,"src":"all","table":"51820"}]""");
        var routes = Routes("""
            [{"dst":"default","gateway":"198.18.0.1","dev":"eth0","flags":[]},
             {"dst":"198.18.0.0/24","dev":"eth0","scope":"link","flags":[]},
             {"dst":"default","dev":"wg0","table":"51820","flags":[]}]
            """);

        // When
        var off = PolicyRoutingSimulator.Lookup(rules, routes, new RouteQuery(Probe, null, null));
        var near = PolicyRoutingSimulator.Lookup(rules, routes, new RouteQuery(IPAddress.Parse("198.18.0.9"), null, null));

        // Then
        Assert.Equal("wg0", off.Dev);
        Assert.Equal("eth0", near.Dev);
    }

    [Fact]
    public void MatchesFwmarkUnderItsMask()
    {
        // Given
        var rules = Rules("""[{"priority":1024,"src":"all","fwmark":"0x80","fwmask":"0x80","table":"7"},{"priority":32766,"src":"all","table":"main"}]""");
        var routes = Routes("""[{"dst":"default","dev":"eth7","table":"7","flags":[]},{"dst":"default","dev":"eth0","flags":[]}]""");

        // When
        var marked = PolicyRoutingSimulator.Lookup(rules, routes, new RouteQuery(Probe, null, null, 0x81));
        var plain = PolicyRoutingSimulator.Lookup(rules, routes, new RouteQuery(Probe, null, null, 0x01));

        // Then
        Assert.Equal("eth7", marked.Dev);
        Assert.Equal("eth0", plain.Dev);
    }

    [Fact]
    public void UsesTheKernelDefaultRulesWhenNoneWereRead()
    {
        // Given
        var routes = IpRouteParser.Parse(NodeTestData.Read("eni-healthy", "ip-route.json")).Items;

        // When
        var local = PolicyRoutingSimulator.Lookup([], routes, new RouteQuery(IPAddress.Parse("198.18.1.10"), null, null));
        var off = PolicyRoutingSimulator.Lookup([], routes, new RouteQuery(Probe, IPAddress.Parse("198.18.1.20"), "eni5d0e6b3c9a1"));

        // Then
        Assert.Equal("local", local.Type);
        Assert.Equal("lo", local.Dev);
        Assert.Equal("eth0", off.Dev);
    }

    [Fact]
    public void SaysUnreachableWhenNothingMatches()
    {
        // Given / When
        var lookup = PolicyRoutingSimulator.Lookup([], [], new RouteQuery(Probe, null, null));

        // Then
        Assert.Equal("Network is unreachable", lookup.Error);
        Assert.False(lookup.Leaves);
    }

    private static IReadOnlyList<PolicyRule> Rules(string json) => IpRuleParser.Parse(json).Items;

    private static IReadOnlyList<Route> Routes(string json) => IpRouteParser.Parse(json).Items;
}
