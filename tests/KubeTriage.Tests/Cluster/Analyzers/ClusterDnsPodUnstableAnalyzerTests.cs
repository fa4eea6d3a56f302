using KubeTriage.Cluster;
using KubeTriage.Cluster.Analyzers;
using KubeTriage.Findings;

namespace KubeTriage.Tests.Cluster.Analyzers;

public sealed class ClusterDnsPodUnstableAnalyzerTests
{
    private readonly ClusterDnsPodUnstableAnalyzer _analyzer = new();

    [Fact]
    public void ReportsCrashLoopRestartsLastExitAndProbeEventsWithTimes()
    {
        // Given
        var evidence = ClusterFixtures.Evidence(ClusterFixtures.Incident);

        // When
        var finding = Assert.Single(_analyzer.Analyze(evidence));

        // Then
        Assert.Equal(Severity.Critical, finding.Severity);
        Assert.Equal("kube-system/coredns-5d78c9869d-7xk2p", finding.Subject);
        Assert.Equal("worker-1", finding.Node);
        Assert.Equal("CoreDNS pod coredns-5d78c9869d-7xk2p is in CrashLoopBackOff (7 restarts)", finding.Title);
        Assert.Contains("pod kube-system/coredns-5d78c9869d-7xk2p on node worker-1: phase Running, ready=false, restarts=7", finding.Evidence);
        Assert.Contains("container coredns last terminated: Error, exit code 137 at 2026-11-28T09:53:41Z (started 2026-11-28T09:50:40Z) — killed (SIGKILL), usually after failed liveness probes", finding.Evidence);
        Assert.Contains("event Warning Unhealthy (x122, 2026-11-28T09:30:20Z → 2026-11-28T09:53:35Z): Readiness probe failed: HTTP probe failed with statuscode: 503", finding.Evidence);
        Assert.Contains(finding.Evidence, e => e.StartsWith("event Warning BackOff (x41, 2026-11-28T09:34:02Z → 2026-11-28T09:58:40Z)", StringComparison.Ordinal));
        Assert.StartsWith("kubectl -n kube-system logs coredns-5d78c9869d-7xk2p --previous", finding.Remediation, StringComparison.Ordinal);
    }

    [Fact]
    public void WarnsAboutARunningReadyPodThatRestarted()
    {
        // Given
        var snapshot = ClusterFixtures.Snapshot(ClusterFixtures.Healthy);
        snapshot.Pods.First(p => p.Metadata.Name == "coredns-6d4b75cb6d-d3e4f").Status.ContainerStatuses[0].RestartCount = 2;

        // When
        var finding = Assert.Single(_analyzer.Analyze(ClusterEvidence.From(snapshot)));

        // Then
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Equal("worker-2", finding.Node);
    }

    [Fact]
    public void ProbeFailuresAloneMakeAPodUnstable()
    {
        // Given: never restarted, but the readiness probe keeps failing
        var evidence = ClusterFixtures.Evidence(ClusterFixtures.RbacDenied);

        // When
        var finding = Assert.Single(_analyzer.Analyze(evidence));

        // Then
        Assert.Equal("kube-system/coredns-74ff55c5b-s5d6f", finding.Subject);
        Assert.Contains(finding.Evidence, e => e.Contains("Readiness probe failed", StringComparison.Ordinal));
    }

    [Fact]
    public void IsQuietForHealthyPods()
    {
        // Given
        var evidence = ClusterFixtures.Evidence(ClusterFixtures.Healthy);

        // When
        var findings = _analyzer.Analyze(evidence).ToList();

        // Then
        Assert.Empty(findings);
    }
}
