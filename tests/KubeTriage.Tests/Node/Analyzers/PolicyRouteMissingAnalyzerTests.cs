using KubeTriage.Findings;
using KubeTriage.Node;
using KubeTriage.Node.Analyzers;

namespace KubeTriage.Tests.Node.Analyzers;

public class PolicyRouteMissingAnalyzerTests
{
    [Theory]
    [InlineData("healthy ENI node", "eni-healthy", "")]
    [InlineData("table 2 emptied", "eni-route", "route table 2")]
    [InlineData("eth1 gone: table 2 lost its routes with it", "eni-nic", "route table 2<-node.nic-missing")]
    [InlineData("single NIC, bridge CNI", "bridge-single-nic", "")]
    [InlineData("single NIC, host routes to veths", "calico-single-nic", "")]
    [InlineData("policy rules but no pods", "rules-variety", "")]
    public void FindsPodTablesWithoutAUsableDefaultRoute(string name, string scenario, string expected)
    {
        // Given
        var evidence = NodeTestData.Evidence(scenario);

        // When
        var findings = new PolicyRouteMissingAnalyzer().Analyze(evidence).ToList();

        // Then
        var actual = string.Join(", ", findings.Select(f => f.Subject + (f.CausedBy.Count > 0 ? "<-" + string.Join("+", f.CausedBy) : string.Empty)));
        Assert.True(expected == actual, $"{name}: expected '{expected}', got '{actual}'");
        Assert.All(findings, f => Assert.Equal(FindingIds.NodePolicyRouteMissing, f.Id));
        Assert.All(findings, f => Assert.Equal(Severity.Critical, f.Severity));
    }

    [Fact]
    public void ShowsTheRuleAndTheEmptyTableAndHowToRestoreIt()
    {
        // Given
        var evidence = NodeTestData.Evidence("eni-route");

        // When
        var finding = Assert.Single(new PolicyRouteMissingAnalyzer().Analyze(evidence));

        // Then
        Assert.Equal("Traffic from pod 198.18.1.20 is policy-routed to table 2, which has no usable default route", finding.Title);
        Assert.Equal(
            [
                "1536: from 198.18.1.20 lookup 2",
                "ip route show table 2: (empty)",
                "table 2 is empty: no default route",
                "table 2 belongs to eth1 (VPC CNI numbering), state UP",
            ],
            finding.Evidence);
        Assert.Equal(
            "kubectl -n kube-system rollout restart daemonset aws-node (ipamd re-programs the per-NIC tables when it starts); then confirm: ip route show table 2",
            finding.Remediation);
        Assert.Equal("eni-route", finding.Node);
    }

    [Fact]
    public void FindsADefaultRouteWhoseGatewayIsNotReachable()
    {
        // Given: table 2 keeps a default through a gateway outside eth1's subnet and without a link route
        var evidence = WithTable2(NodeTestData.Evidence("eni-healthy"), """[{"dst":"default","gateway":"198.18.7.1","dev":"eth1","table":"2","flags":[]}]""");

        // When
        var finding = Assert.Single(new PolicyRouteMissingAnalyzer().Analyze(evidence));

        // Then
        Assert.Contains("'default via 198.18.7.1 dev eth1': gateway 198.18.7.1 is not reachable on eth1 (no link route to it and not in eth1's subnets)", finding.Evidence);
        Assert.Empty(finding.CausedBy);
    }

    [Fact]
    public void AcceptsAnOnlinkDefaultRoute()
    {
        // Given
        var evidence = WithTable2(NodeTestData.Evidence("eni-healthy"), """[{"dst":"default","gateway":"198.18.7.1","dev":"eth1","table":"2","flags":["onlink"]}]""");

        // When
        var findings = new PolicyRouteMissingAnalyzer().Analyze(evidence);

        // Then
        Assert.Empty(findings);
    }

    [Fact]
    public void BlamesTheNicWhenTheDefaultRouteLeavesThroughADownLink()
    {
        // Given
        var healthy = NodeTestData.Evidence("eni-healthy");
        var evidence = healthy with
        {
            Interfaces = healthy.Interfaces.Select(i => i.Name == "eth1" ? i with { Flags = ["NO-CARRIER", "BROADCAST", "MULTICAST", "UP"], OperState = "DOWN" } : i).ToList(),
        };

        // When
        var finding = Assert.Single(new PolicyRouteMissingAnalyzer().Analyze(evidence));

        // Then
        Assert.Contains("'default via 198.18.1.1 dev eth1' leaves through eth1, which is DOWN (NO-CARRIER)", finding.Evidence);
        Assert.Equal([FindingIds.NodeNicMissing], finding.CausedBy);
        Assert.StartsWith("bring the NIC back first (see node.nic-missing); then kubectl", finding.Remediation, StringComparison.Ordinal);
    }

    [Fact]
    public void ConcludesNothingFromRoutesItCouldNotRead()
    {
        // Given
        var evidence = NodeTestData.Evidence("eni-route") with { RoutesKnown = false };

        // When / Then
        Assert.Empty(new PolicyRouteMissingAnalyzer().Analyze(evidence));
    }

    private static NodeEvidence WithTable2(NodeEvidence evidence, string table2) =>
        evidence with
        {
            Routes = [.. evidence.Routes.Where(r => r.Table != "2"), .. IpRouteParser.Parse(table2).Items],
        };
}
