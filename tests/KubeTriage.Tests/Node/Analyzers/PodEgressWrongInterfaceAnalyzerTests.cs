using System.Net;
using KubeTriage.Findings;
using KubeTriage.Node;
using KubeTriage.Node.Analyzers;

namespace KubeTriage.Tests.Node.Analyzers;

public class PodEgressWrongInterfaceAnalyzerTests
{
    [Theory]
    [InlineData("healthy ENI node", "eni-healthy", new string[0], "")]
    [InlineData("table 2 emptied", "eni-route", new string[0], "pod 198.18.1.20<-node.policy-route-missing")]
    [InlineData("eth1 gone", "eni-nic", new string[0], "pod 198.18.1.20<-node.policy-route-missing")]
    [InlineData("single NIC, bridge CNI", "bridge-single-nic", new string[0], "")]
    [InlineData("single NIC, bridge CNI, pod given", "bridge-single-nic", new[] { "198.18.64.2" }, "")]
    [InlineData("single NIC, host routes to veths", "calico-single-nic", new string[0], "")]
    [InlineData("a pod of another node on the node subnet", "eni-healthy", new[] { "198.18.0.77" }, "")]
    public void FindsPodTrafficLeavingThroughAnotherNic(string name, string scenario, string[] podIps, string expected)
    {
        // Given
        var evidence = NodeTestData.Evidence(scenario, null, podIps);

        // When
        var findings = new PodEgressWrongInterfaceAnalyzer().Analyze(evidence).ToList();

        // Then
        var actual = string.Join(", ", findings.Select(f => f.Subject + (f.CausedBy.Count > 0 ? "<-" + string.Join("+", f.CausedBy) : string.Empty)));
        Assert.True(expected == actual, $"{name}: expected '{expected}', got '{actual}'");
        Assert.All(findings, f => Assert.Equal(FindingIds.NodePodEgressWrongInterface, f.Id));
    }

    [Fact]
    public void ShowsTheLookupAndWhyTheNicIsWrong()
    {
        // Given
        var evidence = NodeTestData.Evidence("eni-route");

        // When
        var finding = Assert.Single(new PodEgressWrongInterfaceAnalyzer().Analyze(evidence));

        // Then
        Assert.Equal("Traffic from pod 198.18.1.20 leaves through eth0, not through eth1", finding.Title);
        Assert.Equal(
            [
                "ip route get 192.0.2.1 from 198.18.1.20 iif eni5d0e6b3c9a1 → dev eth0 via 198.18.0.1 table main (simulated from the collected rules and routes)",
                "path: rule 32766: from all lookup main; route default via 198.18.0.1 dev eth0",
                "198.18.1.20 is in eth1's subnet 198.18.1.0/24 (eth1 has 198.18.1.10/24)",
                "rule '1536: from 198.18.1.20 lookup 2' sends it to table 2, which belongs to eth1 (VPC CNI numbering)",
                "eth0 is in 198.18.0.0/24: pod-subnet sources leaving there fail the network's source/destination check, so replies never come back",
            ],
            finding.Evidence);
        Assert.Equal(
            "kubectl -n kube-system rollout restart daemonset aws-node (ipamd re-programs the pod's rule and table); then confirm: ip route get 192.0.2.1 from 198.18.1.20 iif eni5d0e6b3c9a1   (expect dev eth1)",
            finding.Remediation);
    }

    [Fact]
    public void PrefersTheKernelsAnswer()
    {
        // Given: the kernel's recorded answer in place of the simulated one
        var evidence = NodeTestData.Evidence("eni-route");
        var kernel = IpRouteGetParser.Parse(NodeTestData.Read("eni-route", "route-get-198.18.1.20.json"),
            IPAddress.Parse("192.0.2.1"), IPAddress.Parse("198.18.1.20"), "eni5d0e6b3c9a1");
        evidence = NodeEvidenceBuilder.WithKernelLookups(evidence, [kernel]);

        // When
        var finding = Assert.Single(new PodEgressWrongInterfaceAnalyzer().Analyze(evidence));

        // Then
        Assert.Equal("ip route get 192.0.2.1 from 198.18.1.20 iif eni5d0e6b3c9a1 → dev eth0 via 198.18.0.1 table main (the kernel's answer)", finding.Evidence[0]);
    }

    [Fact]
    public void FindsAPodOnTheSecondNicsSubnetWithoutItsRule()
    {
        // Given: the healthy node whose 1536 rule was cleared (as nm-cloud-setup does)
        var healthy = NodeTestData.Evidence("eni-healthy");
        var rules = healthy.Rules.Where(r => r.Priority != 1536).ToList();
        var evidence = healthy with
        {
            Rules = rules,
            Lookups = healthy.Lookups.Select(l => PolicyRoutingSimulator.Lookup(rules, healthy.Routes, new RouteQuery(l.Destination, l.Source, l.Iif))).ToList(),
        };

        // When
        var finding = Assert.Single(new PodEgressWrongInterfaceAnalyzer().Analyze(evidence));

        // Then
        Assert.Equal("pod 198.18.1.20", finding.Subject);
        Assert.Contains("no rule 'from 198.18.1.20 lookup N' exists: the pod's traffic follows the main table", finding.Evidence);
        Assert.Empty(finding.CausedBy);
    }

    [Fact]
    public void JudgesNothingWhenTheLookupFoundNoRoute()
    {
        // Given
        var evidence = NodeTestData.Evidence("eni-route");
        var refused = IpRouteGetParser.Failed(IPAddress.Parse("192.0.2.1"), IPAddress.Parse("198.18.1.20"), "eni5d0e6b3c9a1", "RTNETLINK answers: Network is unreachable");
        evidence = evidence with { Lookups = [refused] };

        // When / Then
        Assert.Empty(new PodEgressWrongInterfaceAnalyzer().Analyze(evidence));
    }
}
