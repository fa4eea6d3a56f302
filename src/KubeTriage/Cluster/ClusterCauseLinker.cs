using KubeTriage.Findings;

namespace KubeTriage.Cluster;

/// <summary>
/// Links cluster findings to the ones that explain them: a crash-looping CoreDNS pod is caused by what its own
/// log shows (upstream timeouts, api-server unreachable, a forwarding loop on its node); too few ready replicas
/// and a Service without ready endpoints are caused by whatever keeps the pods from being ready. Pure; findings keep their order.
/// </summary>
public static class ClusterCauseLinker
{
    private static readonly string[] PodCauses =
    [
        FindingIds.ClusterDnsUpstreamTimeout,
        FindingIds.ClusterDnsApiServerUnreachable,
        FindingIds.ClusterDnsForwardLoop,
        FindingIds.ClusterDnsRbacDenied,
    ];

    /// <summary>What keeps CoreDNS pods from being ready (upstream timeouts alone do not fail readiness).</summary>
    private static readonly string[] ReadinessCauses =
    [
        FindingIds.ClusterDnsPodUnstable,
        FindingIds.ClusterDnsApiServerUnreachable,
        FindingIds.ClusterDnsForwardLoop,
        FindingIds.ClusterDnsRbacDenied,
    ];

    public static IReadOnlyList<Finding> Link(IReadOnlyList<Finding> findings)
    {
        var present = findings.Select(f => f.Id).ToHashSet(StringComparer.Ordinal);
        var readiness = ReadinessCauses.Where(present.Contains).ToList();
        return findings.Select(f => f.Id switch
        {
            FindingIds.ClusterDnsPodUnstable => With(f, findings
                .Where(c => PodCauses.Contains(c.Id) && (c.Subject == f.Subject || (c.Id == FindingIds.ClusterDnsForwardLoop && c.Node is not null && c.Node == f.Node)))
                .Select(c => c.Id)),
            FindingIds.ClusterDnsSingleReplica when f.Severity == Severity.Critical => With(f, readiness),
            FindingIds.ClusterDnsNoReadyEndpoints => With(f, readiness
                .Concat(present.Contains(FindingIds.ClusterDnsSingleReplica) ? [FindingIds.ClusterDnsSingleReplica] : [])),
            _ => f,
        }).ToList();
    }

    private static Finding With(Finding finding, IEnumerable<string> causes)
    {
        var all = finding.CausedBy.Concat(causes).Distinct(StringComparer.Ordinal).ToList();
        return all.Count == finding.CausedBy.Count ? finding : finding with { CausedBy = all };
    }
}
