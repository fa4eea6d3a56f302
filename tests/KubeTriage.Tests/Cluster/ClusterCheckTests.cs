using KubeTriage.Cluster;
using KubeTriage.Findings;

namespace KubeTriage.Tests.Cluster;

public sealed class ClusterCheckTests
{
    public static TheoryData<string, string[]> Scenarios => new()
    {
        { ClusterFixtures.Healthy, [] },
        {
            ClusterFixtures.Incident,
            [
                "critical cluster-dns.apiserver-unreachable kube-system/coredns-5d78c9869d-7xk2p node=worker-1 causedBy=",
                "critical cluster-dns.no-ready-endpoints kube-system/kube-dns node=worker-1 causedBy=cluster-dns.pod-unstable,cluster-dns.apiserver-unreachable,cluster-dns.single-replica",
                "critical cluster-dns.pod-unstable kube-system/coredns-5d78c9869d-7xk2p node=worker-1 causedBy=cluster-dns.apiserver-unreachable,cluster-dns.upstream-timeout",
                "critical cluster-dns.single-replica kube-system/coredns node=worker-1 causedBy=cluster-dns.pod-unstable,cluster-dns.apiserver-unreachable",
                "critical cluster-dns.upstream-timeout kube-system/coredns-5d78c9869d-7xk2p node=worker-1 causedBy=",
            ]
        },
        { ClusterFixtures.NoReadyEndpoints, ["critical cluster-dns.no-ready-endpoints kube-system/kube-dns node= causedBy="] },
        {
            ClusterFixtures.ForwardLoop,
            [
                "critical cluster-dns.forward-loop kube-system/coredns-77c9b8f5d-h6j7k node=worker-1 causedBy=",
                "critical cluster-dns.forward-loop kube-system/coredns-77c9b8f5d-l8m9n node=worker-2 causedBy=",
                "critical cluster-dns.forward-loop node/worker-1 node=worker-1 causedBy=",
                "critical cluster-dns.forward-loop node/worker-2 node=worker-2 causedBy=",
                "critical cluster-dns.no-ready-endpoints kube-system/kube-dns node= causedBy=cluster-dns.pod-unstable,cluster-dns.forward-loop,cluster-dns.single-replica",
                "critical cluster-dns.pod-unstable kube-system/coredns-77c9b8f5d-h6j7k node=worker-1 causedBy=cluster-dns.forward-loop",
                "critical cluster-dns.pod-unstable kube-system/coredns-77c9b8f5d-l8m9n node=worker-2 causedBy=cluster-dns.forward-loop",
                "critical cluster-dns.single-replica kube-system/coredns node= causedBy=cluster-dns.pod-unstable,cluster-dns.forward-loop",
            ]
        },
        { ClusterFixtures.NameserverMismatch, ["critical pod.nameserver-mismatch shop/example-app node=worker-2 causedBy="] },
        {
            ClusterFixtures.RbacDenied,
            [
                "critical cluster-dns.no-ready-endpoints kube-system/kube-dns node= causedBy=cluster-dns.pod-unstable,cluster-dns.rbac-denied,cluster-dns.single-replica",
                "critical cluster-dns.rbac-denied kube-system/coredns-74ff55c5b-g7h8j node=worker-2 causedBy=",
                "critical cluster-dns.rbac-denied kube-system/coredns-74ff55c5b-s5d6f node=worker-1 causedBy=",
                "critical cluster-dns.single-replica kube-system/coredns node= causedBy=cluster-dns.pod-unstable,cluster-dns.rbac-denied",
                "warning cluster-dns.pod-unstable kube-system/coredns-74ff55c5b-s5d6f node=worker-1 causedBy=cluster-dns.rbac-denied",
            ]
        },
    };

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void FindsExactlyWhatEachScenarioHolds(string scenario, string[] expected)
    {
        // Given
        var snapshot = ClusterFixtures.Snapshot(scenario);

        // When
        var result = ClusterCheck.Run(snapshot);

        // Then
        Assert.Empty(result.Problems);
        Assert.Equal(expected, result.Findings.Select(Describe));
    }

    [Fact]
    public void EveryFindingOnTheIncidentNamesTheCoreDnsNodeInItsEvidence()
    {
        // Given
        var snapshot = ClusterFixtures.Snapshot(ClusterFixtures.Incident);

        // When
        var result = ClusterCheck.Run(snapshot);

        // Then
        Assert.All(result.Findings, f => Assert.Contains(f.Evidence, e => e.Contains("worker-1", StringComparison.Ordinal)));
        Assert.All(result.Findings, f => Assert.False(string.IsNullOrWhiteSpace(f.Remediation)));
    }

    [Fact]
    public void SummarisesTheIncidentInTheSection()
    {
        // Given
        var snapshot = ClusterFixtures.Snapshot(ClusterFixtures.Incident);

        // When
        var section = ClusterCheck.Run(snapshot).Section;

        // Then
        var deployment = Assert.Single(section.CoreDns.Deployments);
        Assert.Equal((1, 0), (deployment.Replicas, deployment.ReadyReplicas));
        var pod = Assert.Single(section.CoreDns.Pods);
        Assert.Equal(("worker-1", "CrashLoopBackOff", 7, 137), (pod.Node, pod.State, pod.Restarts, pod.LastTerminationExitCode));
        Assert.Equal("10.96.0.10", section.CoreDns.Service!.ClusterIp);
        Assert.Equal(["198.18.1.30"], section.CoreDns.Endpoints!.NotReady.Select(a => a.Address));
        Assert.Equal(["198.18.2.11:53", "198.18.2.12:53"], Assert.Single(section.CoreDns.Corefile!.ForwardTargets).Targets);
        Assert.Equal([true, false], section.CoreDns.Logs.Select(l => l.Previous));
        var current = section.CoreDns.Logs[1];
        Assert.Equal(42, current.Classes["upstream-timeout"]);
        Assert.Equal(4, current.Classes["apiserver-unreachable"]);
        Assert.Equal(["198.18.2.11:53", "198.18.2.12:53"], current.Upstreams.Select(u => u.Address));
        Assert.Equal("10.96.0.1:443", Assert.Single(current.ApiServers).Address);
        Assert.Equal("1.11.1", current.Version);
        var target = Assert.Single(section.TargetPods);
        Assert.Equal(("shop", "example-app", true), (target.Namespace, target.Name, target.UsesClusterDns));
        Assert.Equal(["worker-1"], section.Nodes.Where(n => n.ClusterDnsPods.Count > 0).Select(n => n.Name));
    }

    private static string Describe(Finding f) =>
        $"{f.Severity.ToString().ToLowerInvariant()} {f.Id} {f.Subject} node={f.Node} causedBy={string.Join(',', f.CausedBy)}";
}
