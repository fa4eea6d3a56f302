using KubeTriage.Cluster;
using KubeTriage.Cluster.Analyzers;

namespace KubeTriage.Findings;

public static partial class AnalyzerCatalog
{
    /// <summary>The cluster-DNS and target-pod checks of the <c>cluster</c> verb, in report order.</summary>
    public static IReadOnlyList<IAnalyzer<ClusterEvidence>> Cluster { get; } =
    [
        new ClusterDnsSingleReplicaAnalyzer(),
        new ClusterDnsPodUnstableAnalyzer(),
        new ClusterDnsNoReadyEndpointsAnalyzer(),
        new ClusterDnsUpstreamTimeoutAnalyzer(),
        new ClusterDnsApiServerUnreachableAnalyzer(),
        new ClusterDnsForwardLoopAnalyzer(),
        new ClusterDnsRbacDeniedAnalyzer(),
        new PodNameserverMismatchAnalyzer(),
    ];
}
