using KubeTriage.Cluster;
using KubeTriage.Cluster.Analyzers;
using KubeTriage.Findings;

namespace KubeTriage.Tests.Cluster.Analyzers;

public sealed class ClusterDnsUpstreamTimeoutAnalyzerTests
{
    private readonly ClusterDnsUpstreamTimeoutAnalyzer _analyzer = new();

    [Fact]
    public void NamesEachUpstreamWithItsCountAndFirstAndLastLines()
    {
        // Given: previous log (no timestamps) and current log (kubectl --timestamps) of one pod
        var evidence = ClusterFixtures.Evidence(ClusterFixtures.Incident);

        // When
        var finding = Assert.Single(_analyzer.Analyze(evidence));

        // Then
        Assert.Equal(Severity.Critical, finding.Severity);
        Assert.Equal("worker-1", finding.Node);
        Assert.Equal("CoreDNS pod coredns-5d78c9869d-7xk2p gets no answer from upstream 198.18.2.11:53, 198.18.2.12:53 (74 failures)", finding.Title);
        Assert.Contains("pod kube-system/coredns-5d78c9869d-7xk2p on node worker-1: 74 upstream failures in previous log + current log", finding.Evidence);
        Assert.Contains("upstream 198.18.2.11:53: 37 failures (i/o timeout ×37), 2 of them start-up HINFO loop probes", finding.Evidence);
        Assert.Contains("upstream 198.18.2.12:53: 37 failures (i/o timeout ×37), 2 of them start-up HINFO loop probes", finding.Evidence);
        Assert.Contains("  first: [ERROR] plugin/errors: 2 7311526483112254861.2265490172258436619. HINFO: read udp 198.18.1.30:41873->198.18.2.11:53: i/o timeout", finding.Evidence);
        Assert.Contains(finding.Evidence, e => e.StartsWith("  last:  2026-11-28T09:54:58Z [ERROR] plugin/errors: 2 oss.example.com. A: read udp 198.18.1.30:", StringComparison.Ordinal));
        Assert.Contains("Corefile (kube-system/coredns) line 13: forward . 198.18.2.11 198.18.2.12", finding.Evidence);
        Assert.Contains("dig @198.18.2.11 -p 53 kubernetes.io", finding.Remediation, StringComparison.Ordinal);
        Assert.Contains("kubetriage node --pod-ip 198.18.1.30` on worker-1", finding.Remediation, StringComparison.Ordinal);
    }

    [Fact]
    public void AFewTimeoutsAreAWarning()
    {
        // Given
        var snapshot = ClusterFixtures.Snapshot(ClusterFixtures.Healthy);
        snapshot.Logs.Add(new PodLog("kube-system", "coredns-6d4b75cb6d-a1b2c", "coredns", true,
            "[ERROR] plugin/errors: 2 example-api.com. A: read udp 198.18.1.31:40000->198.18.2.12:53: i/o timeout\n"));

        // When
        var finding = Assert.Single(_analyzer.Analyze(ClusterEvidence.From(snapshot)));

        // Then
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Equal("kube-system/coredns-6d4b75cb6d-a1b2c", finding.Subject);
        Assert.Equal("worker-1", finding.Node);
    }

    [Fact]
    public void IgnoresLogsOfPodsThatAreNotClusterDns()
    {
        // Given
        var snapshot = ClusterFixtures.Snapshot(ClusterFixtures.Healthy);
        snapshot.Logs.Add(new PodLog("shop", "example-app", "app", false,
            "[ERROR] plugin/errors: 2 example-api.com. A: read udp 198.18.1.20:40000->198.18.2.12:53: i/o timeout\n"));

        // When
        var findings = _analyzer.Analyze(ClusterEvidence.From(snapshot)).ToList();

        // Then
        Assert.Empty(findings);
    }
}
