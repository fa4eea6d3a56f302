using KubeTriage.Cluster;
using KubeTriage.Cluster.Analyzers;
using KubeTriage.Findings;

namespace KubeTriage.Tests.Cluster.Analyzers;

public sealed class ClusterDnsApiServerUnreachableAnalyzerTests
{
    private readonly ClusterDnsApiServerUnreachableAnalyzer _analyzer = new();

    [Fact]
    public void NamesTheApiServerAndTheReadinessWait()
    {
        // Given
        var evidence = ClusterFixtures.Evidence(ClusterFixtures.Incident);

        // When
        var finding = Assert.Single(_analyzer.Analyze(evidence));

        // Then
        Assert.Equal(Severity.Critical, finding.Severity);
        Assert.Equal("worker-1", finding.Node);
        Assert.Equal("CoreDNS pod coredns-5d78c9869d-7xk2p cannot reach the api-server 10.96.0.1:443", finding.Title);
        Assert.Contains("api-server 10.96.0.1:443: 6 failures (i/o timeout ×6)", finding.Evidence);
        Assert.Contains("  [WARNING] plugin/kubernetes: starting server with unsynced Kubernetes API", finding.Evidence);
        Assert.Contains("readiness waited 11 times on plugin(s) \"kubernetes\": the pod stays not ready", finding.Evidence);
    }

    [Fact]
    public void ReadsTheKlogNativeFormOfCoreDns18()
    {
        // Given
        var snapshot = ClusterFixtures.Snapshot(ClusterFixtures.Healthy);
        snapshot.Logs.Add(new PodLog("kube-system", "coredns-6d4b75cb6d-d3e4f", "coredns", false,
            "E1128 09:31:10.487332       1 reflector.go:127] pkg/mod/k8s.io/client-go@v0.19.2/tools/cache/reflector.go:156: Failed to watch *v1.Endpoints: failed to list *v1.Endpoints: Get \"https://10.96.0.1:443/api/v1/endpoints?limit=500&resourceVersion=0\": dial tcp 10.96.0.1:443: i/o timeout\n"));

        // When
        var finding = Assert.Single(_analyzer.Analyze(ClusterEvidence.From(snapshot)));

        // Then
        Assert.Equal("worker-2", finding.Node);
        Assert.Contains("api-server 10.96.0.1:443: 1 failures (i/o timeout ×1)", finding.Evidence);
    }

    [Theory]
    [InlineData(ClusterFixtures.Healthy)]
    [InlineData(ClusterFixtures.RbacDenied)]
    public void IsQuietWhenTheApiServerAnswers(string scenario)
    {
        // Given: a denial is an answer, not a network failure
        var evidence = ClusterFixtures.Evidence(scenario);

        // When
        var findings = _analyzer.Analyze(evidence).ToList();

        // Then
        Assert.Empty(findings);
    }
}
