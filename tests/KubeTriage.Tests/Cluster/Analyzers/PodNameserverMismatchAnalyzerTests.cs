using KubeTriage.Cluster;
using KubeTriage.Cluster.Analyzers;
using KubeTriage.Findings;

namespace KubeTriage.Tests.Cluster.Analyzers;

public sealed class PodNameserverMismatchAnalyzerTests
{
    private readonly PodNameserverMismatchAnalyzer _analyzer = new();

    [Fact]
    public void FlagsACollectedResolvConfThatNamesAnotherServer()
    {
        // Given: no --pod, so every pod with a collected resolv.conf is checked
        var evidence = ClusterFixtures.Evidence(ClusterFixtures.NameserverMismatch);

        // When
        var finding = Assert.Single(_analyzer.Analyze(evidence));

        // Then
        Assert.Equal(Severity.Critical, finding.Severity);
        Assert.Equal("shop/example-app", finding.Subject);
        Assert.Equal("worker-2", finding.Node);
        Assert.Equal("Pod shop/example-app asks 10.96.0.53 instead of cluster DNS 10.96.0.10", finding.Title);
        Assert.Contains("pod shop/example-app on node worker-2: dnsPolicy ClusterFirst; kube-dns ClusterIP 10.96.0.10", finding.Evidence);
        Assert.Contains("cluster/pods/shop/example-app/resolv.conf: nameserver 10.96.0.53; search shop.svc.cluster.local svc.cluster.local cluster.local lab.internal", finding.Evidence);
        Assert.Contains("clusterDNS", finding.Remediation, StringComparison.Ordinal);
    }

    [Fact]
    public void FlagsAHostNetworkPodUnderClusterFirstFromItsSpec()
    {
        // Given
        var evidence = ClusterFixtures.Evidence(ClusterFixtures.NameserverMismatch, "monitoring/node-agent-z9x8");

        // When
        var finding = Assert.Single(_analyzer.Analyze(evidence));

        // Then
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Equal("worker-1", finding.Node);
        Assert.Contains("ClusterFirstWithHostNet", finding.Remediation, StringComparison.Ordinal);
    }

    [Fact]
    public void FlagsDnsPolicyNoneWithoutTheClusterDnsAddress()
    {
        // Given
        var snapshot = ClusterFixtures.Snapshot(ClusterFixtures.Healthy, "shop/example-app");
        snapshot.PodResolvConfs.Clear();
        var pod = snapshot.Pods.First(p => p.Metadata.Name == "example-app");
        pod.Spec.DnsPolicy = "None";
        pod.Spec.DnsConfig = new k8s.Models.V1PodDNSConfig { Nameservers = ["198.18.2.11"] };

        // When
        var finding = Assert.Single(_analyzer.Analyze(ClusterEvidence.From(snapshot)));

        // Then
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Contains("dnsConfig.nameservers: 198.18.2.11", finding.Evidence);
    }

    [Fact]
    public void ANodeLocalDnsCacheIsInfoNotAMismatch()
    {
        // Given
        var snapshot = ClusterFixtures.Snapshot(ClusterFixtures.Healthy);
        snapshot.PodResolvConfs["shop/example-app"] = "search shop.svc.cluster.local svc.cluster.local cluster.local\nnameserver 169.254.20.10\noptions ndots:5\n";

        // When
        var finding = Assert.Single(_analyzer.Analyze(ClusterEvidence.From(snapshot)));

        // Then
        Assert.Equal(Severity.Info, finding.Severity);
        Assert.Contains("169.254.20.10 is link-local: a node-local DNS cache (NodeLocal DNSCache) that forwards cluster names to 10.96.0.10", finding.Evidence);
    }

    [Fact]
    public void AcceptsTheSecondFamilyOfADualStackService()
    {
        // Given
        var snapshot = ClusterFixtures.Snapshot(ClusterFixtures.Healthy);
        snapshot.Services[0].Spec.ClusterIPs = ["10.96.0.10", "fd00:10:96::a"];
        snapshot.PodResolvConfs["shop/example-app"] = "nameserver fd00:10:96::a\n";

        // When
        var findings = _analyzer.Analyze(ClusterEvidence.From(snapshot)).ToList();

        // Then
        Assert.Empty(findings);
    }

    [Fact]
    public void IsQuietWhenThePodAsksClusterDns()
    {
        // Given: from the file and, without it, from the spec
        var withFile = ClusterFixtures.Evidence(ClusterFixtures.Healthy);
        var fromSpec = ClusterFixtures.Snapshot(ClusterFixtures.Healthy, "shop/example-app");
        fromSpec.PodResolvConfs.Clear();

        // When
        var findings = _analyzer.Analyze(withFile).Concat(_analyzer.Analyze(ClusterEvidence.From(fromSpec))).ToList();

        // Then
        Assert.Empty(findings);
    }
}
