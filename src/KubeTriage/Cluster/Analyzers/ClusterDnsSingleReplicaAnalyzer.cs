using k8s.Models;
using KubeTriage.Findings;

namespace KubeTriage.Cluster.Analyzers;

/// <summary>
/// Cluster DNS with fewer than two ready replicas is one node fault away from an outage of every name in the
/// cluster (twist 1 of the incident: one CoreDNS pod, on the node whose NIC had vanished).
/// </summary>
public sealed class ClusterDnsSingleReplicaAnalyzer : IAnalyzer<ClusterEvidence>
{
    public string Id => FindingIds.ClusterDnsSingleReplica;

    public string Title => "Cluster DNS has fewer than 2 ready replicas";

    public IEnumerable<Finding> Analyze(ClusterEvidence evidence)
    {
        if (!evidence.Has(ClusterEvidenceKind.Deployments) && !evidence.Has(ClusterEvidenceKind.Pods))
        {
            yield break;
        }

        if (evidence.DnsDeployments.Count == 0)
        {
            var ready = evidence.DnsPods.Count(PodFacts.IsReady);
            if (ready < 2 && evidence.Has(ClusterEvidenceKind.Deployments))
            {
                yield return Build(evidence, "kube-system (no CoreDNS/kube-dns Deployment)", ready,
                    [$"no Deployment labelled {ClusterEvidence.DnsAppLabel}={ClusterEvidence.DnsAppValue} or named coredns/kube-dns in {ClusterEvidence.DnsNamespace}",
                     $"{evidence.DnsPods.Count} cluster-DNS pod(s), {ready} ready"],
                    evidence.DnsPods, "coredns");
            }

            yield break;
        }

        foreach (var deployment in evidence.DnsDeployments)
        {
            var name = deployment.Metadata?.Name ?? "coredns";
            var desired = deployment.Spec?.Replicas ?? 1;
            var ready = deployment.Status?.ReadyReplicas ?? 0;
            if (ready >= 2)
            {
                continue;
            }

            var pods = PodsOf(evidence, deployment);
            var lines = new List<string>
            {
                $"deployment {ClusterEvidence.DnsNamespace}/{name}: spec.replicas={desired}, readyReplicas={ready}, availableReplicas={deployment.Status?.AvailableReplicas ?? 0}, updatedReplicas={deployment.Status?.UpdatedReplicas ?? 0}",
            };
            if (deployment.Status?.Conditions?.FirstOrDefault(c => c.Type == "Available") is { } available)
            {
                lines.Add($"condition Available={available.Status} ({available.Reason}): {available.Message}");
            }

            yield return Build(evidence, $"{ClusterEvidence.DnsNamespace}/{name}", ready, lines, pods, name);
        }
    }

    private Finding Build(ClusterEvidence evidence, string subject, int ready, List<string> lines, IReadOnlyList<V1Pod> pods, string deploymentName)
    {
        foreach (var pod in pods)
        {
            var state = PodFacts.Waiting(pod) is { } w ? $", {w.Reason}" : string.Empty;
            lines.Add($"pod {PodFacts.Name(pod)} on node {PodFacts.NodeLabel(pod)}: ready={PodFacts.IsReady(pod).ToString().ToLowerInvariant()}, restarts={PodFacts.Restarts(pod)}{state}");
        }

        if (pods.Count == 0)
        {
            lines.Add("no cluster-DNS pod exists");
        }

        var node = PodFacts.CommonNode(pods);
        if (node is not null && pods.Count > 0)
        {
            lines.Add($"every cluster-DNS pod runs on node {node}: a fault on that node takes cluster DNS down");
        }

        var remediation =
            $"kubectl -n {ClusterEvidence.DnsNamespace} scale deployment {deploymentName} --replicas=2"
            + $"; keep replicas apart and protected: kubectl -n {ClusterEvidence.DnsNamespace} create poddisruptionbudget {deploymentName}-pdb --selector={ClusterEvidence.DnsAppLabel}={ClusterEvidence.DnsAppValue} --min-available=1"
            + " and a podAntiAffinity on topologyKey kubernetes.io/hostname in the Deployment"
            + PodFacts.NodeCheckHint(node, pods.Count == 1 ? PodFacts.PodIp(pods[0]) : null);
        return new Finding(
            Id,
            ready == 0 ? Severity.Critical : Severity.Warning,
            ready == 0 ? "Cluster DNS has no ready replica: every name lookup in the cluster fails" : "Cluster DNS runs a single ready replica: one node fault stops every name lookup",
            subject,
            lines,
            remediation)
        {
            Node = node,
        };
    }

    private static List<V1Pod> PodsOf(ClusterEvidence evidence, V1Deployment deployment)
    {
        var selector = deployment.Spec?.Selector?.MatchLabels;
        if (selector is null || selector.Count == 0)
        {
            return evidence.DnsPods.ToList();
        }

        return evidence.DnsPods.Where(p => p.Metadata?.Labels is { } l && selector.All(kv => l.TryGetValue(kv.Key, out var v) && v == kv.Value)).ToList();
    }
}
