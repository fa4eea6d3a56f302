using KubeTriage.Cluster;
using KubeTriage.Cluster.Analyzers;
using KubeTriage.Findings;

namespace KubeTriage.Tests.Cluster.Analyzers;

public sealed class ClusterDnsForwardLoopAnalyzerTests
{
    private readonly ClusterDnsForwardLoopAnalyzer _analyzer = new();

    [Fact]
    public void FindsTheFatalLoopInEachPodsPreviousLogAndTheStubOnEachNode()
    {
        // Given
        var evidence = ClusterFixtures.Evidence(ClusterFixtures.ForwardLoop);

        // When
        var findings = _analyzer.Analyze(evidence).OrderBy(f => f.Subject, StringComparer.Ordinal).ToList();

        // Then
        Assert.Equal(["kube-system/coredns-77c9b8f5d-h6j7k", "kube-system/coredns-77c9b8f5d-l8m9n", "node/worker-1", "node/worker-2"], findings.Select(f => f.Subject));
        Assert.Equal(["worker-1", "worker-2", "worker-1", "worker-2"], findings.Select(f => f.Node));
        Assert.All(findings, f => Assert.Equal(Severity.Critical, f.Severity));
        Assert.Contains(findings[0].Evidence, e => e.StartsWith("log: [FATAL] plugin/loop: Loop (127.0.0.1:44021 -> :53) detected for zone \".\"", StringComparison.Ordinal));
        Assert.Contains("nodes/worker-1/resolv.conf: nameserver 127.0.0.53 (CoreDNS pods use dnsPolicy Default, so this is their /etc/resolv.conf)", findings[2].Evidence);
        Assert.Contains("127.0.0.53 is a loopback stub resolver (inside the CoreDNS pod it is CoreDNS itself)", findings[2].Evidence);
        Assert.Contains("/run/systemd/resolve/resolv.conf", findings[2].Remediation, StringComparison.Ordinal);
    }

    [Fact]
    public void FindsAForwardTargetThatIsTheClusterDnsServiceItself()
    {
        // Given
        var snapshot = ClusterFixtures.Snapshot(ClusterFixtures.Healthy);
        snapshot.ConfigMaps[0].Data["Corefile"] = ".:53 {\n    errors\n    forward . 10.96.0.10 198.18.2.11\n}\n";

        // When
        var finding = Assert.Single(_analyzer.Analyze(ClusterEvidence.From(snapshot)));

        // Then
        Assert.Equal("The Corefile forwards . to 10.96.0.10:53, which is cluster DNS itself", finding.Title);
        Assert.Contains("10.96.0.10 is the kube-dns Service ClusterIP", finding.Evidence);
    }

    [Fact]
    public void FindsResolvConfOfACoreDnsPodUnderClusterFirst()
    {
        // Given: CoreDNS pods with the default dnsPolicy get the cluster DNS address as their own nameserver
        var snapshot = ClusterFixtures.Snapshot(ClusterFixtures.Healthy);
        snapshot.ConfigMaps[0].Data["Corefile"] = ".:53 {\n    forward . /etc/resolv.conf\n}\n";
        foreach (var pod in snapshot.Pods.Where(p => p.Metadata.NamespaceProperty == "kube-system"))
        {
            pod.Spec.DnsPolicy = "ClusterFirst";
        }

        // When
        var findings = _analyzer.Analyze(ClusterEvidence.From(snapshot)).ToList();

        // Then
        Assert.Equal(2, findings.Count);
        Assert.All(findings, f => Assert.Contains("CoreDNS pods use dnsPolicy ClusterFirst: their /etc/resolv.conf names the kube-dns ClusterIP 10.96.0.10", f.Evidence));
    }

    [Fact]
    public void IsQuietWhenTheNodesResolvConfNamesRealUpstreams()
    {
        // Given: forward . /etc/resolv.conf with the node file naming the upstream resolvers
        var snapshot = ClusterFixtures.Snapshot(ClusterFixtures.Healthy);
        snapshot.ConfigMaps[0].Data["Corefile"] = ".:53 {\n    forward . /etc/resolv.conf\n    loop\n}\n";

        // When
        var findings = _analyzer.Analyze(ClusterEvidence.From(snapshot)).ToList();

        // Then
        Assert.Empty(findings);
    }
}
