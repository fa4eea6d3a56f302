using System.Net;
using KubeTriage.Findings;
using KubeTriage.Node.Analyzers;
using KubeTriage.Node.Live;

namespace KubeTriage.Tests.Node.Analyzers;

public class CapturedPodEgressAnalyzerTests
{
    private static readonly IPAddress Pod = IPAddress.Parse("198.18.1.20");

    [Theory]
    [InlineData("pod packets on eth0, none on eth1 (table 2 emptied)", "lab-route", "eth0:6:0 eth1:0:0 enie3be3ad2cb5:6:0", "pod 198.18.1.20 via eth0")]
    [InlineData("pod packets on eth1 with replies (healthy)", "lab-healthy", "eth0:0:0 eth1:40:39 enie3be3ad2cb5:40:39", "")]
    [InlineData("only the pod's own veth captured", "lab-route", "enie3be3ad2cb5:6:0", "")]
    [InlineData("eth1 gone: no NIC holds the pod subnet any more", "lab-nic", "eth0:6:0", "")]
    [InlineData("single NIC with host routes: the pod range is on no NIC", "calico-single-nic", "eth0:9:9", "")]
    public void FindsPodPacketsLeavingThroughANicOutsideThePodSubnet(string name, string scenario, string captured, string expected)
    {
        // Given
        var node = NodeTestData.Evidence(scenario);
        var pods = node.Pods.Select(p => p.Ip).DefaultIfEmpty(Pod).ToList();
        var evidence = new CapturedEgressEvidence(node, pods, Captured(captured));

        // When
        var findings = new CapturedPodEgressAnalyzer().Analyze(evidence).ToList();

        // Then
        Assert.True(expected == string.Join(", ", findings.Select(f => f.Subject)), $"{name}: {string.Join(", ", findings.Select(f => f.Subject))}");
        Assert.All(findings, f => Assert.Equal(FindingIds.NodePodEgressWrongInterface, f.Id));
    }

    [Fact]
    public void CitesTheCountsTheSubnetsAndTheKernelsLookup()
    {
        // Given
        var node = NodeTestData.Evidence("lab-route");
        var evidence = new CapturedEgressEvidence(node, [Pod], Captured("eth0:6:0 eth1:0:0"));

        // When
        var finding = Assert.Single(new CapturedPodEgressAnalyzer().Analyze(evidence));

        // Then
        Assert.Equal("Packets from pod 198.18.1.20 leave through eth0, not through eth1", finding.Title);
        Assert.Equal(
            [
                "eth0: 6 packets from 198.18.1.20 captured leaving, 0 to it; eth0 is in 198.18.0.0/24",
                "198.18.1.20 is in eth1's subnet 198.18.1.0/24 (eth1 has 198.18.1.10/24)",
                "eth1: 0 packets from the pod, 0 to it",
                "ip route get 192.0.2.1 from 198.18.1.20 iif enie3be3ad2cb5 → dev eth0 via 198.18.0.1 table main (simulated)",
            ],
            finding.Evidence);
        Assert.Equal("lab-route", finding.Node);
        Assert.Equal(Severity.Critical, finding.Severity);
    }

    private static List<CapturedInterface> Captured(string spec) =>
        spec.Split(' ').Select(s => s.Split(':'))
            .Select(p => new CapturedInterface(p[0], p[0], long.Parse(p[1]) + long.Parse(p[2]), long.Parse(p[1]), long.Parse(p[2])))
            .ToList();
}
