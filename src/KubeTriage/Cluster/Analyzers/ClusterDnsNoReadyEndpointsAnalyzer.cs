using KubeTriage.Findings;

namespace KubeTriage.Cluster.Analyzers;

/// <summary>
/// The kube-dns Service has no ready endpoint address: every query to its ClusterIP goes nowhere. Reads
/// EndpointSlices (discovery.k8s.io/v1, <c>conditions.ready</c> unset counts as ready) and falls back to Endpoints.
/// </summary>
public sealed class ClusterDnsNoReadyEndpointsAnalyzer : IAnalyzer<ClusterEvidence>
{
    public string Id => FindingIds.ClusterDnsNoReadyEndpoints;

    public string Title => "The kube-dns Service has no ready endpoint";

    public IEnumerable<Finding> Analyze(ClusterEvidence evidence)
    {
        if (evidence.DnsService is null)
        {
            if (evidence.Has(ClusterEvidenceKind.Services))
            {
                yield return new Finding(
                    Id,
                    Severity.Critical,
                    "There is no cluster-DNS Service (kube-dns or coredns) in kube-system",
                    $"{ClusterEvidence.DnsNamespace}/kube-dns",
                    [$"no Service named kube-dns or coredns, nor labelled {ClusterEvidence.DnsAppLabel}={ClusterEvidence.DnsAppValue}, in {ClusterEvidence.DnsNamespace}"],
                    $"kubectl -n {ClusterEvidence.DnsNamespace} get services -l {ClusterEvidence.DnsAppLabel}={ClusterEvidence.DnsAppValue}; reinstall the CoreDNS addon (e.g. kubeadm init phase addon coredns)")
                {
                    Node = PodFacts.CommonNode(evidence.DnsPods),
                };
            }

            yield break;
        }

        var endpoints = ServiceEndpoints.Of(evidence);
        if (endpoints is null || endpoints.Ready.Count > 0)
        {
            yield break;
        }

        var service = evidence.DnsService;
        var serviceName = service.Metadata?.Name ?? "kube-dns";
        var lines = new List<string>
        {
            $"service {ClusterEvidence.DnsNamespace}/{serviceName}: ClusterIP {evidence.ClusterDnsIp ?? "none"}, selector {Selector(service)}",
            $"{endpoints.Source}: 0 ready addresses, {endpoints.NotReady.Count} not ready",
        };
        lines.AddRange(endpoints.NotReady.Select(a => $"not ready: {a.Address} (pod {a.Pod ?? "?"} on node {a.Node ?? "?"})"));
        var selector = service.Spec?.Selector;
        if (selector is { Count: > 0 } && !evidence.DnsPods.Any(p => p.Metadata?.Labels is { } l && selector.All(kv => l.TryGetValue(kv.Key, out var v) && v == kv.Value)))
        {
            lines.Add($"the Service selector {Selector(service)} matches none of the {evidence.DnsPods.Count} cluster-DNS pod(s)");
        }

        var nodes = endpoints.NotReady.Select(a => a.Node).Where(n => n is not null).Distinct(StringComparer.Ordinal).ToList();
        var node = nodes.Count == 1 ? nodes[0] : PodFacts.CommonNode(evidence.DnsPods);
        if (node is not null)
        {
            lines.Add($"node: {node}");
        }

        yield return new Finding(
            Id,
            Severity.Critical,
            $"Service {serviceName} has no ready endpoint: queries to {evidence.ClusterDnsIp ?? "its ClusterIP"} get no answer",
            $"{ClusterEvidence.DnsNamespace}/{serviceName}",
            lines,
            $"kubectl -n {ClusterEvidence.DnsNamespace} get endpointslices -l {ClusterEvidence.ServiceNameLabel}={serviceName}; kubectl -n {ClusterEvidence.DnsNamespace} get pods -l {ClusterEvidence.DnsAppLabel}={ClusterEvidence.DnsAppValue} -o wide; make a CoreDNS pod ready (see its logs and events)"
            + PodFacts.NodeCheckHint(node, null))
        {
            Node = node,
        };
    }

    private static string Selector(k8s.Models.V1Service service) =>
        service.Spec?.Selector is { Count: > 0 } s ? string.Join(",", s.Select(kv => $"{kv.Key}={kv.Value}")) : "(none)";
}
