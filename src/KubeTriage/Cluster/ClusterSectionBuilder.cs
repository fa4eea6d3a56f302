using KubeTriage.Cluster.Logs;
using KubeTriage.Names;

namespace KubeTriage.Cluster;

/// <summary>Summarises <see cref="ClusterEvidence"/> into the report's <see cref="ClusterSection"/>; pure.</summary>
public static class ClusterSectionBuilder
{
    public static ClusterSection Build(ClusterEvidence evidence)
    {
        var endpoints = ServiceEndpoints.Of(evidence);
        var coreDns = new ClusterDnsSection(
            evidence.DnsDeployments.Select(d => new DeploymentSection(
                d.Metadata?.NamespaceProperty ?? ClusterEvidence.DnsNamespace,
                d.Metadata?.Name ?? string.Empty,
                d.Spec?.Replicas ?? 1,
                d.Status?.ReadyReplicas ?? 0,
                d.Status?.AvailableReplicas ?? 0,
                d.Status?.UpdatedReplicas ?? 0)).ToList(),
            evidence.DnsPods.Select(p =>
            {
                var last = p.Status?.ContainerStatuses?.Select(c => c.LastState?.Terminated).FirstOrDefault(t => t is not null);
                var state = PodFacts.Waiting(p)?.Reason ?? (PodFacts.IsReady(p) ? "Running" : p.Status?.Phase ?? "Unknown");
                return new DnsPodSection(
                    PodFacts.Name(p),
                    p.Spec?.NodeName,
                    PodFacts.PodIp(p),
                    p.Status?.Phase,
                    PodFacts.IsReady(p),
                    PodFacts.Restarts(p),
                    state,
                    last?.Reason,
                    last?.ExitCode,
                    last?.FinishedAt is { } f ? new DateTimeOffset(DateTime.SpecifyKind(f, DateTimeKind.Utc)) : null,
                    p.Spec?.Containers?.FirstOrDefault()?.Image,
                    p.Spec?.DnsPolicy);
            }).ToList(),
            evidence.DnsService is { } s
                ? new ServiceSection(
                    s.Metadata?.NamespaceProperty ?? ClusterEvidence.DnsNamespace,
                    s.Metadata?.Name ?? string.Empty,
                    evidence.ClusterDnsIp,
                    (s.Spec?.Ports ?? []).Select(p => $"{p.Name ?? "-"} {p.Port}/{p.Protocol ?? "TCP"}").ToList())
                : null,
            endpoints is null ? null : new EndpointsSection(endpoints.Source, endpoints.Ready, endpoints.NotReady),
            evidence.Corefile is { } corefile
                ? new CorefileSection(
                    evidence.CorefileSource,
                    corefile.ServerBlocks.Select(b => new CorefileBlockSection(b.Keys, b.Plugins)).ToList(),
                    corefile.Forwards.Select(f => new ForwardSection(f.Zones, f.Plugin, f.From, f.Targets.Select(t => t.Address).ToList(), f.UsesResolvConf, f.Line)).ToList(),
                    corefile.Problems)
                : null,
            evidence.DnsLogs.Select(l => new LogSection(
                l.Log.Pod,
                l.Log.Container,
                l.Log.Previous,
                l.Node,
                l.Summary.Entries,
                l.Summary.Version,
                l.Summary.FirstTime,
                l.Summary.LastTime,
                l.Summary.Counts.Where(kv => kv.Key != CoreDnsLogClass.Info || kv.Value > 0)
                    .OrderBy(kv => kv.Key).ToDictionary(kv => CoreDnsLogClassNames.Name(kv.Key), kv => kv.Value, StringComparer.Ordinal),
                l.Summary.Upstreams.Select(Address).ToList(),
                l.Summary.ApiServers.Select(Address).ToList(),
                l.Summary.NotReadyPlugins)).ToList());

        var dnsPodsByNode = evidence.DnsPods.Where(p => p.Spec?.NodeName is not null)
            .GroupBy(p => p.Spec!.NodeName, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(PodFacts.Name).ToList(), StringComparer.Ordinal);
        var nodes = evidence.Nodes.Select(n => new NodeSection(
            n.Metadata?.Name ?? string.Empty,
            n.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready") is { } ready ? ready.Status == "True" : null,
            n.Status?.Addresses?.FirstOrDefault(a => a.Type == "InternalIP")?.Address,
            dnsPodsByNode.TryGetValue(n.Metadata?.Name ?? string.Empty, out var names) ? names : [])).ToList();

        return new ClusterSection(
            evidence.Source,
            evidence.CollectedAt,
            coreDns,
            evidence.Targets.Select(t => Target(t, evidence.ClusterDnsIp, evidence.ClusterDnsIps)).ToList(),
            nodes,
            evidence.Unavailable.Order().Select(k => k.ToString()).ToList());
    }

    private static AddressSection Address(CoreDnsAddressStats s) =>
        new(s.Address, s.Count, s.LoopProbes, s.Kinds, s.First.Sample(), s.Last.Sample());

    private static TargetPodSection Target(TargetPodDns target, string? clusterIp, IReadOnlyList<string> clusterIps)
    {
        var slash = target.Key.IndexOf('/', StringComparison.Ordinal);
        var pod = target.Pod;
        IReadOnlyList<string> nameservers = [];
        string? source = null;
        if (target.ResolvConfText is { } text)
        {
            nameservers = ResolvConf.Parse(text).Nameservers.Select(n => n.ToString()).ToList();
            source = $"cluster/pods/{target.Key}/resolv.conf";
        }
        else if (pod?.Spec is { } spec)
        {
            source = "spec";
            var policy = spec.DnsPolicy ?? "ClusterFirst";
            nameservers = policy switch
            {
                "None" => spec.DnsConfig?.Nameservers?.ToList() ?? [],
                "ClusterFirst" when spec.HostNetwork == true => ["(node resolv.conf)"],
                "Default" => ["(node resolv.conf)"],
                _ when clusterIp is not null => [clusterIp, .. spec.DnsConfig?.Nameservers ?? []],
                _ => [],
            };
        }

        return new TargetPodSection(
            slash < 0 ? "default" : target.Key[..slash],
            slash < 0 ? target.Key : target.Key[(slash + 1)..],
            pod?.Spec?.NodeName,
            pod?.Spec?.DnsPolicy ?? (pod is null ? null : "ClusterFirst"),
            pod?.Spec?.HostNetwork == true,
            nameservers,
            source,
            clusterIp,
            clusterIp is null || nameservers.Count == 0 ? null : clusterIps.Contains(nameservers[0]));
    }
}
