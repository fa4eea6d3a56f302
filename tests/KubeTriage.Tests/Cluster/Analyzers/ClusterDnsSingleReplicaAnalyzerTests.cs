using KubeTriage.Cluster;
using KubeTriage.Cluster.Analyzers;
using KubeTriage.Findings;

namespace KubeTriage.Tests.Cluster.Analyzers;

public sealed class ClusterDnsSingleReplicaAnalyzerTests
{
    private readonly ClusterDnsSingleReplicaAnalyzer _analyzer = new();

    [Fact]
    public void FlagsTheIncidentsSingleUnreadyReplicaWithItsNode()
    {
        // Given
        var evidence = ClusterFixtures.Evidence(ClusterFixtures.Incident);

        // When
        var finding = Assert.Single(_analyzer.Analyze(evidence));

        // Then
        Assert.Equal(FindingIds.ClusterDnsSingleReplica, finding.Id);
        Assert.Equal(Severity.Critical, finding.Severity);
        Assert.Equal("kube-system/coredns", finding.Subject);
        Assert.Equal("worker-1", finding.Node);
        Assert.Contains("deployment kube-system/coredns: spec.replicas=1, readyReplicas=0, availableReplicas=0, updatedReplicas=1", finding.Evidence);
        Assert.Contains("pod coredns-5d78c9869d-7xk2p on node worker-1: ready=false, restarts=7, CrashLoopBackOff", finding.Evidence);
        Assert.StartsWith("kubectl -n kube-system scale deployment coredns --replicas=2", finding.Remediation, StringComparison.Ordinal);
        Assert.Contains("poddisruptionbudget", finding.Remediation, StringComparison.Ordinal);
        Assert.Contains("kubetriage node --pod-ip 198.18.1.30` on worker-1", finding.Remediation, StringComparison.Ordinal);
    }

    [Fact]
    public void WarnsWhenOneOfTwoReplicasIsReady()
    {
        // Given
        var snapshot = ClusterFixtures.Snapshot(ClusterFixtures.Healthy);
        snapshot.Deployments[0].Status.ReadyReplicas = 1;

        // When
        var finding = Assert.Single(_analyzer.Analyze(ClusterEvidence.From(snapshot)));

        // Then
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Null(finding.Node);
        Assert.Contains("pod coredns-6d4b75cb6d-a1b2c on node worker-1: ready=true, restarts=0", finding.Evidence);
        Assert.Contains("pod coredns-6d4b75cb6d-d3e4f on node worker-2: ready=true, restarts=0", finding.Evidence);
    }

    [Theory]
    [InlineData(ClusterFixtures.Healthy)]
    [InlineData(ClusterFixtures.NoReadyEndpoints)]
    [InlineData(ClusterFixtures.NameserverMismatch)]
    public void IsQuietWithTwoReadyReplicas(string scenario)
    {
        // Given
        var evidence = ClusterFixtures.Evidence(scenario);

        // When
        var findings = _analyzer.Analyze(evidence).ToList();

        // Then
        Assert.Empty(findings);
    }

    [Fact]
    public void SaysNothingWhenDeploymentsAndPodsCouldNotBeRead()
    {
        // Given: RBAC denied both lists, so "no deployment" means "unknown", not "none"
        var snapshot = ClusterFixtures.Snapshot(ClusterFixtures.Incident);
        snapshot.Deployments.Clear();
        snapshot.Pods.Clear();
        snapshot.Unavailable.Add(ClusterEvidenceKind.Deployments);
        snapshot.Unavailable.Add(ClusterEvidenceKind.Pods);

        // When
        var findings = _analyzer.Analyze(ClusterEvidence.From(snapshot)).ToList();

        // Then
        Assert.Empty(findings);
    }

    [Fact]
    public void FlagsAClusterWithoutAnyDnsDeployment()
    {
        // Given
        var snapshot = ClusterFixtures.Snapshot(ClusterFixtures.Healthy);
        snapshot.Deployments.Clear();
        snapshot.Pods.RemoveAll(p => p.Metadata.NamespaceProperty == "kube-system");

        // When
        var finding = Assert.Single(_analyzer.Analyze(ClusterEvidence.From(snapshot)));

        // Then
        Assert.Equal(Severity.Critical, finding.Severity);
        Assert.Contains("no cluster-DNS pod exists", finding.Evidence);
    }
}
