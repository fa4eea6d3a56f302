using KubeTriage.Cluster;
using KubeTriage.Findings;

namespace KubeTriage.Tests.Cluster;

public sealed class ClusterCauseLinkerTests
{
    [Fact]
    public void LinksAnUnstablePodOnlyToCausesSeenInItsOwnLog()
    {
        // Given
        Finding[] findings =
        [
            F(FindingIds.ClusterDnsPodUnstable, "kube-system/coredns-a", "node-1"),
            F(FindingIds.ClusterDnsPodUnstable, "kube-system/coredns-b", "node-2"),
            F(FindingIds.ClusterDnsUpstreamTimeout, "kube-system/coredns-a", "node-1"),
            F(FindingIds.ClusterDnsForwardLoop, "node/node-2", "node-2"),
        ];

        // When
        var linked = ClusterCauseLinker.Link(findings);

        // Then
        Assert.Equal([FindingIds.ClusterDnsUpstreamTimeout], linked[0].CausedBy);
        Assert.Equal([FindingIds.ClusterDnsForwardLoop], linked[1].CausedBy);
        Assert.Empty(linked[2].CausedBy);
    }

    [Fact]
    public void ASingleReadyReplicaIsAConfigurationRiskNotAnEffect()
    {
        // Given: one ready replica (warning) while another finding exists
        Finding[] findings =
        [
            F(FindingIds.ClusterDnsSingleReplica, "kube-system/coredns", null, Severity.Warning),
            F(FindingIds.ClusterDnsApiServerUnreachable, "kube-system/coredns-a", "node-1"),
        ];

        // When
        var linked = ClusterCauseLinker.Link(findings);

        // Then
        Assert.Empty(linked[0].CausedBy);
    }

    private static Finding F(string id, string subject, string? node, Severity severity = Severity.Critical) =>
        new(id, severity, id, subject, [], string.Empty) { Node = node };
}
