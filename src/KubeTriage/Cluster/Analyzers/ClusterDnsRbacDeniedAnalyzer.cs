using KubeTriage.Findings;

namespace KubeTriage.Cluster.Analyzers;

/// <summary>
/// The api-server answers CoreDNS but denies its service account (<c>Failed to watch *v1beta1.EndpointSlice:
/// unknown (get endpointslices.discovery.k8s.io)</c>, <c>… is forbidden: … cannot list resource</c>): the
/// kubernetes plugin never syncs, readiness fails, cluster names SERVFAIL. Not a network fault.
/// </summary>
public sealed class ClusterDnsRbacDeniedAnalyzer : IAnalyzer<ClusterEvidence>
{
    public string Id => FindingIds.ClusterDnsRbacDenied;

    public string Title => "CoreDNS's service account is denied by the api-server";

    public IEnumerable<Finding> Analyze(ClusterEvidence evidence)
    {
        foreach (var pod in evidence.DnsPods)
        {
            var logs = evidence.LogsFor(pod);
            var denied = logs.SelectMany(l => l.Summary.RbacDenied).ToList();
            if (denied.Count == 0)
            {
                continue;
            }

            var count = logs.Sum(l => l.Summary.Count(Logs.CoreDnsLogClass.RbacDenied));
            var resources = denied.Select(d => d.Detail).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
            var account = pod.Spec?.ServiceAccountName ?? "coredns";
            var lines = new List<string>
            {
                $"pod {PodFacts.Key(pod)} on node {PodFacts.NodeLabel(pod)}: {count} denied requests for {string.Join(", ", resources)}",
                $"first: {denied[0].Sample()}",
            };
            var waiting = logs.Sum(l => l.Summary.Count(Logs.CoreDnsLogClass.ReadyWaiting));
            if (waiting > 0)
            {
                lines.Add($"readiness waited {waiting} times on \"kubernetes\": the plugin cannot sync");
            }

            var firstResource = resources.FirstOrDefault() ?? "endpointslices.discovery.k8s.io";
            yield return new Finding(
                Id,
                Severity.Critical,
                $"CoreDNS pod {PodFacts.Name(pod)} may not list {string.Join(", ", resources)}: the kubernetes plugin cannot sync",
                PodFacts.Key(pod),
                lines,
                $"kubectl auth can-i list {firstResource} --as=system:serviceaccount:{ClusterEvidence.DnsNamespace}:{account}; "
                + $"add list/watch on {string.Join(", ", resources)} to the ClusterRole bound to {account} (kubectl edit clusterrole system:coredns)")
            {
                Node = pod.Spec?.NodeName,
            };
        }
    }
}
