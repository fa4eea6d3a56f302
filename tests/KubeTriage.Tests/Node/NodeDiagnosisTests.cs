using KubeTriage.Findings;
using KubeTriage.Node;

namespace KubeTriage.Tests.Node;

public class NodeDiagnosisTests
{
    [Theory]
    [InlineData("bridge-single-nic")]
    [InlineData("bridge-single-nic", "198.18.64.2")]
    [InlineData("calico-single-nic")]
    [InlineData("calico-single-nic", "198.18.128.5")]
    [InlineData("eni-healthy")]
    public void RaisesNoFalseAlarmOnPlainOrHealthyNodes(string scenario, params string[] podIps)
    {
        // Given: single-NIC nodes with bridge or host-route CNIs and no policy routing, and a healthy ENI node
        var evidence = NodeTestData.Evidence(scenario, null, podIps);
        var problems = new List<string>();

        // When
        var findings = NodeDiagnosis.Analyze([evidence], problems);

        // Then
        Assert.Empty(findings);
        Assert.DoesNotContain(problems, p => p.Contains("analyzer", StringComparison.Ordinal));
    }

    [Fact]
    public void FindsEveryNodeFaultOfTheIncidentBundleInOneRun()
    {
        // Given: node-a lost eth1 (its ENA function has no netdev), node-b lost table 2's routes
        var nodes = NodeDirReader.Read(NodeTestData.Path("bundle-incident"), [], [NodeEvidenceBuilder.DefaultProbeDestination])
            .Select(NodeEvidenceBuilder.Build).ToList();
        var problems = new List<string>();

        // When
        var findings = NodeDiagnosis.Analyze(nodes, problems);

        // Then
        Assert.Equal(
            [
                "node.nic-missing PCI 0000:00:06.0 on node-a",
                "node.nic-missing eth1 on node-a",
                "node.pod-egress-wrong-interface pod 198.18.1.20 on node-a",
                "node.pod-egress-wrong-interface pod 198.18.1.20 on node-b",
                "node.policy-route-missing route table 2 on node-a",
                "node.policy-route-missing route table 2 on node-b",
            ],
            findings.Select(f => $"{f.Id} {f.Subject} on {f.Node}"));
        Assert.All(findings, f => Assert.Equal(Severity.Critical, f.Severity));
        Assert.Empty(problems);
    }
}
