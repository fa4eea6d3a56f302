using k8s.Models;
using KubeTriage.Cluster;
using KubeTriage.Cluster.Analyzers;
using KubeTriage.Findings;

namespace KubeTriage.Tests.Cluster.Analyzers;

public sealed class ClusterDnsNoReadyEndpointsAnalyzerTests
{
    private readonly ClusterDnsNoReadyEndpointsAnalyzer _analyzer = new();

    [Fact]
    public void ExplainsASelectorThatMatchesNoDnsPod()
    {
        // Given
        var evidence = ClusterFixtures.Evidence(ClusterFixtures.NoReadyEndpoints);

        // When
        var finding = Assert.Single(_analyzer.Analyze(evidence));

        // Then
        Assert.Equal(Severity.Critical, finding.Severity);
        Assert.Equal("kube-system/kube-dns", finding.Subject);
        Assert.Contains("service kube-system/kube-dns: ClusterIP 10.96.0.10, selector k8s-app=kube-dns", finding.Evidence);
        Assert.Contains("EndpointSlice kube-dns-m8n9b: 0 ready addresses, 0 not ready", finding.Evidence);
        Assert.Contains("the Service selector k8s-app=kube-dns matches none of the 2 cluster-DNS pod(s)", finding.Evidence);
    }

    [Fact]
    public void NamesTheNotReadyAddressAndItsNode()
    {
        // Given
        var evidence = ClusterFixtures.Evidence(ClusterFixtures.Incident);

        // When
        var finding = Assert.Single(_analyzer.Analyze(evidence));

        // Then
        Assert.Equal("worker-1", finding.Node);
        Assert.Contains("not ready: 198.18.1.30 (pod coredns-5d78c9869d-7xk2p on node worker-1)", finding.Evidence);
    }

    [Fact]
    public void FallsBackToEndpointsWhenThereIsNoEndpointSlice()
    {
        // Given
        var snapshot = ClusterFixtures.Snapshot(ClusterFixtures.Incident);
        snapshot.EndpointSlices.Clear();

        // When
        var finding = Assert.Single(_analyzer.Analyze(ClusterEvidence.From(snapshot)));

        // Then
        Assert.Contains("Endpoints kube-dns: 0 ready addresses, 1 not ready", finding.Evidence);
    }

    [Fact]
    public void CountsASliceEndpointWithoutReadyConditionAsReady()
    {
        // Given: discovery.k8s.io/v1 says a nil "ready" means ready
        var snapshot = ClusterFixtures.Snapshot(ClusterFixtures.Incident);
        snapshot.EndpointSlices[0].Endpoints[0].Conditions = new V1EndpointConditions();

        // When
        var findings = _analyzer.Analyze(ClusterEvidence.From(snapshot)).ToList();

        // Then
        Assert.Empty(findings);
    }

    [Fact]
    public void SaysNothingWhenNeitherEndpointsNorSlicesCouldBeRead()
    {
        // Given
        var snapshot = ClusterFixtures.Snapshot(ClusterFixtures.Incident);
        snapshot.EndpointSlices.Clear();
        snapshot.Endpoints.Clear();
        snapshot.Unavailable.Add(ClusterEvidenceKind.Endpoints);
        snapshot.Unavailable.Add(ClusterEvidenceKind.EndpointSlices);

        // When
        var findings = _analyzer.Analyze(ClusterEvidence.From(snapshot)).ToList();

        // Then
        Assert.Empty(findings);
    }

    [Fact]
    public void FlagsAMissingDnsService()
    {
        // Given
        var snapshot = ClusterFixtures.Snapshot(ClusterFixtures.Healthy);
        snapshot.Services.Clear();

        // When
        var finding = Assert.Single(_analyzer.Analyze(ClusterEvidence.From(snapshot)));

        // Then
        Assert.Equal("There is no cluster-DNS Service (kube-dns or coredns) in kube-system", finding.Title);
    }

    [Fact]
    public void IsQuietWithReadyEndpoints()
    {
        // Given
        var evidence = ClusterFixtures.Evidence(ClusterFixtures.Healthy);

        // When
        var findings = _analyzer.Analyze(evidence).ToList();

        // Then
        Assert.Empty(findings);
    }
}
