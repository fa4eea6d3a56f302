using KubeTriage.Cluster.Logs;
using KubeTriage.Findings;

namespace KubeTriage.Cluster.Analyzers;

/// <summary>
/// CoreDNS's kubernetes plugin cannot reach the api-server: <c>Kubernetes API connection failure</c>, client-go
/// reflector <c>Failed to watch/list … dial tcp 10.96.0.1:443: i/o timeout</c> (klog-native and
/// <c>[ERROR] plugin/kubernetes:</c> forms), the 1.8.1–1.8.3 start-up fatal, <c>Unhandled Error</c>, and
/// <c>starting server with unsynced Kubernetes API</c>. Until it syncs, readiness fails and cluster names SERVFAIL.
/// </summary>
public sealed class ClusterDnsApiServerUnreachableAnalyzer : IAnalyzer<ClusterEvidence>
{
    public string Id => FindingIds.ClusterDnsApiServerUnreachable;

    public string Title => "CoreDNS cannot reach the api-server";

    public IEnumerable<Finding> Analyze(ClusterEvidence evidence)
    {
        foreach (var pod in evidence.DnsPods)
        {
            var logs = evidence.LogsFor(pod);
            var total = logs.Sum(l => l.Summary.Count(CoreDnsLogClass.ApiServerUnreachable));
            if (total == 0)
            {
                continue;
            }

            var node = pod.Spec?.NodeName;
            var servers = CoreDnsAddressStatsMerger.Merge(logs.Select(l => l.Summary.ApiServers));
            var lines = new List<string>
            {
                $"pod {PodFacts.Key(pod)} on node {PodFacts.NodeLabel(pod)}: {total} api-server failures in {string.Join(" + ", logs.Select(l => l.Log.Previous ? "previous log" : "current log"))}",
            };
            foreach (var server in servers)
            {
                lines.Add($"api-server {server.Address}: {server.Count} failures ({CoreDnsAddressStatsMerger.DescribeKinds(server)})");
                lines.Add($"  first: {server.First.Sample()}");
                if (server.Count > 1)
                {
                    lines.Add($"  last:  {server.Last.Sample()}");
                }
            }

            var unnamed = logs.SelectMany(l => l.Summary.UnnamedApiFailures).FirstOrDefault();
            if (unnamed is not null)
            {
                lines.Add($"  {unnamed.Sample()}");
            }

            var waiting = logs.Sum(l => l.Summary.Count(CoreDnsLogClass.ReadyWaiting));
            if (waiting > 0)
            {
                var plugins = logs.SelectMany(l => l.Summary.NotReadyPlugins).Distinct(StringComparer.Ordinal).ToList();
                lines.Add($"readiness waited {waiting} times on plugin(s) {string.Join(", ", plugins.Select(p => $"\"{p}\""))}: the pod stays not ready");
            }

            var address = servers.FirstOrDefault()?.Address ?? "the kubernetes Service (kubectl get svc kubernetes)";
            yield return new Finding(
                Id,
                Severity.Critical,
                $"CoreDNS pod {PodFacts.Name(pod)} cannot reach the api-server {(servers.Count > 0 ? string.Join(", ", servers.Select(s => s.Address)) : string.Empty)}".TrimEnd(),
                PodFacts.Key(pod),
                lines,
                $"from node {node ?? "(the CoreDNS pod's node)"} check the path to {address}: kubectl get endpoints kubernetes; the node's kube-proxy rules for the kubernetes Service; curl -k https://{address}/healthz from a pod on that node"
                + PodFacts.NodeCheckHint(node, PodFacts.PodIp(pod)))
            {
                Node = node,
            };
        }
    }
}
