using System.Net;
using KubeTriage.Node;

namespace KubeTriage.Tests.Node;

public class NodeEvidenceBuilderTests
{
    [Fact]
    public void ProbesWithADocumentationAddressThatOnlyADefaultRouteMatches()
    {
        // Given: a node whose own network uses 192.0.2.0/24 (as some test networks do)
        var routes = IpRouteParser.Parse("""
            [{"dst":"default","gateway":"192.0.2.254","dev":"eth0","flags":[]},
             {"dst":"192.0.2.0/24","dev":"eth0","protocol":"kernel","scope":"link","prefsrc":"192.0.2.2","flags":[]},
             {"type":"local","dst":"203.0.113.1","dev":"lo","table":"local","flags":[]}]
            """).Items;

        // When
        var probe = NodeEvidenceBuilder.ChooseProbe(routes);

        // Then
        Assert.Equal(IPAddress.Parse("198.51.100.1"), probe);
    }

    [Fact]
    public void LooksUpEachPodsEgressTowardsTheChosenProbe()
    {
        // Given
        var inputs = new NodeInputs
        {
            Node = "n",
            Source = "test",
            Namespace = new NetnsStatus(NetnsState.Offline, "test"),
            Addr = new NodeSourceText("ip-addr.json", NodeTestData.Read("eni-healthy", "ip-addr.json")),
            Rule = new NodeSourceText("ip-rule.json", NodeTestData.Read("eni-healthy", "ip-rule.json")),
            Route = new NodeSourceText("ip-route.json", NodeTestData.Read("eni-healthy", "ip-route.json")),
        };

        // When
        var evidence = NodeEvidenceBuilder.Build(inputs);

        // Then
        Assert.Equal(
            ["192.0.2.1 from 198.18.0.30 via eth0", "192.0.2.1 from 198.18.1.20 via eth1"],
            evidence.Lookups.Select(l => $"{l.Destination} from {l.Source} via {l.Dev}"));
        Assert.Empty(evidence.Problems);
    }
}
