using System.Net;
using KubeTriage.Node;

namespace KubeTriage.Tests.Node;

public class IpRuleParserTests
{
    [Fact]
    public void ParsesTheVpcCniRulesOfTheRecordedEniNode()
    {
        // Given
        var json = NodeTestData.Read("eni-healthy", "ip-rule.json");

        // When
        var result = IpRuleParser.Parse(json);

        // Then: the text form is what `ip rule` prints
        Assert.Empty(result.Problems);
        Assert.Equal(
            [
                "0: from all lookup local",
                "512: from all to 198.18.1.20 lookup main",
                "512: from all to 198.18.0.30 lookup main",
                "1024: from all fwmark 0x80/0x80 lookup main",
                "1536: from 198.18.1.20 lookup 2",
                "32765: from 198.18.1.10 lookup 2",
                "32766: from all lookup main",
                "32767: from all lookup default",
            ],
            result.Items.Select(r => r.Text));
        var pod = result.Items.Single(r => r.Priority == 1536);
        Assert.True(pod.IsLookup);
        Assert.True(pod.SelectsSingleSource);
        Assert.Equal("2", pod.Table);
        Assert.Equal("198.18.1.20/32", pod.From.ToString());
        var mark = result.Items.Single(r => r.Priority == 1024);
        Assert.Equal(0x80u, mark.FwMark);
        Assert.Equal(0x80u, mark.FwMask);
    }

    [Fact]
    public void ParsesEverySelectorAndActionShape()
    {
        // Given
        var json = NodeTestData.Read("rules-variety", "ip-rule.json");

        // When
        var rules = IpRuleParser.Parse(json).Items.ToDictionary(r => r.Priority);

        // Then
        Assert.True(rules[100].Not);
        Assert.Equal("198.18.9.0/24", rules[100].From.ToString());
        Assert.Equal("198.18.10.0/24", rules[100].To.ToString());
        Assert.Equal("d0", rules[100].Iif);
        Assert.Equal("100: not from 198.18.9.0/24 to 198.18.10.0/24 iif d0 lookup 100", rules[100].Text);
        Assert.Equal("d0", rules[101].Oif);
        Assert.Equal(0x10u, rules[101].FwMark);
        Assert.Equal(0xffu, rules[101].FwMask);
        Assert.Equal(0, rules[102].SuppressPrefixLength);
        Assert.Equal("102: from all lookup main suppress_prefixlength 0", rules[102].Text);
        Assert.Equal("unreachable", rules[103].Action);
        Assert.Null(rules[103].Table);
        Assert.Equal("blackhole", rules[104].Action);
        Assert.Equal("prohibit", rules[105].Action);
        Assert.Equal("goto", rules[106].Action);
        Assert.Equal(32766, rules[106].GotoPriority);
        Assert.Equal(["ipproto tcp", "dport 3306"], rules[107].Unmodelled);
        Assert.Equal("d9", rules[108].Iif); // printed with "iif_detached": the interface does not exist
    }

    [Theory]
    [InlineData("""[{"priority":1536,"src":"198.18.1.20","table":2}]""", "2")] // a number instead of text
    [InlineData("""[{"priority":1536,"src":"198.18.1.20","table":"254"}]""", "main")]
    [InlineData("""[{"priority":1536,"src":"198.18.1.20","table":"eni-1"}]""", "eni-1")] // a name from rt_tables
    public void ReadsTablesAsNamesOrNumbers(string json, string table)
    {
        // Given / When
        var rule = Assert.Single(IpRuleParser.Parse(json).Items);

        // Then
        Assert.Equal(table, rule.Table);
    }

    [Fact]
    public void OrdersRulesByPriorityKeepingTheListedOrderOfEqualOnes()
    {
        // Given
        const string json = """[{"priority":32766,"src":"all","table":"main"},{"priority":512,"src":"all","dst":"198.18.1.21","table":"main"},{"priority":512,"src":"all","dst":"198.18.1.20","table":"main"}]""";

        // When
        var rules = IpRuleParser.Parse(json).Items;

        // Then
        Assert.Equal(["198.18.1.21/32", "198.18.1.20/32", "0.0.0.0/0"], rules.Select(r => r.To.ToString()));
    }

    [Fact]
    public void ReportsARuleWithABadAddressAndKeepsTheRest()
    {
        // Given
        const string json = """[{"priority":1536,"src":"198.18.1.x","table":"2"},{"priority":32766,"src":"all","table":"main"}]""";

        // When
        var result = IpRuleParser.Parse(json);

        // Then
        Assert.Equal(32766, Assert.Single(result.Items).Priority);
        Assert.Equal("rule 1: priority 1536: src '198.18.1.x' is not an address", Assert.Single(result.Problems));
    }

    [Fact]
    public void ParsesIpv6Rules()
    {
        // Given
        const string json = """[{"priority":1536,"src":"2001:db8::20","table":"2"}]""";

        // When
        var rule = Assert.Single(IpRuleParser.Parse(json).Items);

        // Then
        Assert.True(IpPrefix.Holds(rule.From, IPAddress.Parse("2001:db8::20")));
        Assert.Equal(128, rule.From.PrefixLength);
        Assert.Equal(0, rule.To.PrefixLength);
    }
}
