using System.Net;
using KubeTriage.Findings;
using KubeTriage.Lab;
using KubeTriage.Node;

namespace KubeTriage.Tests.Node;

/// <summary>The node checks against the lab's node namespace (ip -n), in each state; every fault is healed after.</summary>
[Collection(LabCollection.Name)]
public sealed class NodeLabTests(LabFixture lab)
{
    [SkippableFact]
    public async Task HealthyNodeIsQuietAndItsPodLeavesThroughEth1()
    {
        Skip.IfNot(lab.IsAvailable, lab.SkipReason);

        // Given
        await lab.HealAll();

        // When: the pod is found from the node's host route and rule, not given
        var evidence = await Collect(givePod: false);
        var findings = NodeDiagnosis.Analyze([evidence], new List<string>());

        // Then
        Assert.Empty(findings);
        Assert.Equal([$"{LabAddresses.PodIp} {lab.PodVeth} host route"], evidence.Pods.Select(p => $"{p.Ip} {p.HostInterface} {p.Source}"));
        var lookup = Assert.Single(evidence.Lookups);
        Assert.Equal(RouteLookup.Kernel, lookup.Origin);
        Assert.Equal(lab.PodVeth, lookup.Iif);
        Assert.Equal(("eth1", "2"), (lookup.Dev, lookup.Table));
        Assert.Equal("the simulator over the collected rules and routes agrees", lookup.CrossCheck);
        Assert.Equal(NetnsState.Named, evidence.Namespace.State);
        Assert.False(evidence.PciChecked);
    }

    [SkippableFact]
    public async Task EmptiedTableIsAMissingPolicyRouteAndWrongEgress()
    {
        Skip.IfNot(lab.IsAvailable, lab.SkipReason);

        // Given
        await using var fault = await lab.Inject(Fault.Route);

        // When
        var evidence = await Collect();
        var findings = NodeDiagnosis.Analyze([evidence], new List<string>());

        // Then
        Assert.Equal(
            [
                "node.pod-egress-wrong-interface pod 198.18.1.20 <- node.policy-route-missing",
                "node.policy-route-missing route table 2 <- ",
            ],
            findings.Select(f => $"{f.Id} {f.Subject} <- {string.Join(",", f.CausedBy)}"));
        var egress = findings[0];
        Assert.Equal($"ip route get 192.0.2.1 from 198.18.1.20 iif {lab.PodVeth} → dev eth0 via 198.18.0.1 table main (the kernel's answer)", egress.Evidence[0]);
        Assert.Contains("ip route show table 2: (empty)", findings[1].Evidence);
        Assert.All(findings, f => Assert.Equal(lab.NodeNs, f.Node));
    }

    [SkippableFact]
    public async Task VanishedNicIsMissingAndLeavesTheTableUnusable()
    {
        Skip.IfNot(lab.IsAvailable, lab.SkipReason);

        // Given
        await using var fault = await lab.Inject(Fault.Nic);

        // When
        var evidence = await Collect();
        var findings = NodeDiagnosis.Analyze([evidence], new List<string>());

        // Then
        var ids = findings.Select(f => $"{f.Id} {f.Subject}").ToList();
        Assert.Contains("node.nic-missing eth1", ids);
        Assert.Contains("node.policy-route-missing route table 2", ids);
        Assert.Equal([FindingIds.NodeNicMissing], findings.Single(f => f.Id == FindingIds.NodePolicyRouteMissing).CausedBy);
        Assert.DoesNotContain(evidence.Interfaces, i => i.Name == "eth1");
    }

    private Task<NodeEvidence> Collect(bool givePod = true) =>
        new LiveNodeCollector(
                new IpCommand(lab.NodeNs),
                new LiveNodeOptions { Netns = lab.NodeNs, PodIps = givePod ? [IPAddress.Parse(LabAddresses.PodIp)] : [] })
            .CollectAsync(CancellationToken.None);
}
