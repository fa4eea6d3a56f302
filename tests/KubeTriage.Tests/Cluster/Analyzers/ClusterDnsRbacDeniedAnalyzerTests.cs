using KubeTriage.Cluster.Analyzers;
using KubeTriage.Findings;

namespace KubeTriage.Tests.Cluster.Analyzers;

public sealed class ClusterDnsRbacDeniedAnalyzerTests
{
    private readonly ClusterDnsRbacDeniedAnalyzer _analyzer = new();

    [Fact]
    public void NamesTheDeniedResourceAndTheServiceAccount()
    {
        // Given
        var evidence = ClusterFixtures.Evidence(ClusterFixtures.RbacDenied);

        // When
        var findings = _analyzer.Analyze(evidence).OrderBy(f => f.Subject, StringComparer.Ordinal).ToList();

        // Then
        Assert.Equal(["kube-system/coredns-74ff55c5b-g7h8j", "kube-system/coredns-74ff55c5b-s5d6f"], findings.Select(f => f.Subject));
        var finding = findings[1];
        Assert.Equal(Severity.Critical, finding.Severity);
        Assert.Equal("worker-1", finding.Node);
        Assert.Contains("pod kube-system/coredns-74ff55c5b-s5d6f on node worker-1: 6 denied requests for endpointslices.discovery.k8s.io", finding.Evidence);
        Assert.StartsWith("kubectl auth can-i list endpointslices.discovery.k8s.io --as=system:serviceaccount:kube-system:coredns", finding.Remediation, StringComparison.Ordinal);
    }

    [Fact]
    public void IsQuietOnNetworkFailures()
    {
        // Given
        var evidence = ClusterFixtures.Evidence(ClusterFixtures.Incident);

        // When
        var findings = _analyzer.Analyze(evidence).ToList();

        // Then
        Assert.Empty(findings);
    }
}
