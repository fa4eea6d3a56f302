using k8s.Models;
using KubeTriage.Cluster.Corefiles;
using KubeTriage.Cluster.Logs;

namespace KubeTriage.Cluster;

/// <summary>
/// The cluster-DNS view of a <see cref="ClusterSnapshot"/>: the CoreDNS/kube-dns Deployments and their pods
/// (label <c>k8s-app=kube-dns</c> or names <c>coredns</c>/<c>kube-dns</c> in <c>kube-system</c>), the Service
/// (<c>kube-dns</c>, else <c>coredns</c>), its Endpoints and EndpointSlices, the Corefile, classified logs, and
/// the target pods. Built once, read by every analyzer; pure.
/// </summary>
public sealed class ClusterEvidence
{
    public const string DnsNamespace = "kube-system";
    public const string DnsAppLabel = "k8s-app";
    public const string DnsAppValue = "kube-dns";
    public const string ServiceNameLabel = "kubernetes.io/service-name";

    private ClusterEvidence()
    {
    }

    public string Source { get; private init; } = string.Empty;

    public DateTimeOffset CollectedAt { get; private init; }

    public IReadOnlyList<V1Deployment> DnsDeployments { get; private init; } = [];

    public IReadOnlyList<V1Pod> DnsPods { get; private init; } = [];

    public V1Service? DnsService { get; private init; }

    public V1Endpoints? DnsEndpoints { get; private init; }

    public IReadOnlyList<V1EndpointSlice> DnsEndpointSlices { get; private init; } = [];

    /// <summary><c>kube-system/coredns</c> (or whichever ConfigMap held the Corefile).</summary>
    public string? CorefileSource { get; private init; }

    public Corefile? Corefile { get; private init; }

    public IReadOnlyList<ClusterEvent> Events { get; private init; } = [];

    public IReadOnlyList<CoreDnsPodLog> DnsLogs { get; private init; } = [];

    public IReadOnlyList<V1Node> Nodes { get; private init; } = [];

    public IReadOnlyList<TargetPodDns> Targets { get; private init; } = [];

    public IReadOnlyDictionary<string, string> NodeResolvConfs { get; private init; } = new Dictionary<string, string>();

    public IReadOnlySet<ClusterEvidenceKind> Unavailable { get; private init; } = new HashSet<ClusterEvidenceKind>();

    /// <summary>The kube-dns Service ClusterIP (what ClusterFirst pods must have as nameserver), when known.</summary>
    public string? ClusterDnsIp =>
        DnsService?.Spec?.ClusterIP is { Length: > 0 } ip && ip != "None" ? ip : null;

    /// <summary>Every ClusterIP of the DNS Service (both families on dual-stack clusters), primary first.</summary>
    public IReadOnlyList<string> ClusterDnsIps =>
        (ClusterDnsIp is { } primary ? new[] { primary } : [])
            .Concat(DnsService?.Spec?.ClusterIPs ?? [])
            .Where(ip => ip.Length > 0 && ip != "None")
            .Distinct(StringComparer.Ordinal).ToList();

    public bool Has(ClusterEvidenceKind kind) => !Unavailable.Contains(kind);

    public static string Key(V1ObjectMeta? meta) => $"{meta?.NamespaceProperty ?? "default"}/{meta?.Name}";

    public static string? NodeOf(V1Pod pod) => pod.Spec?.NodeName;

    public IReadOnlyList<ClusterEvent> EventsFor(V1Pod pod) =>
        Events.Where(e => e.InvolvedKind == "Pod" && e.InvolvedName == pod.Metadata?.Name
                && e.Namespace == (pod.Metadata?.NamespaceProperty ?? e.Namespace))
            .OrderBy(e => e.LastSeen ?? e.FirstSeen ?? DateTimeOffset.MinValue).ToList();

    public IReadOnlyList<CoreDnsPodLog> LogsFor(V1Pod pod) =>
        DnsLogs.Where(l => l.Log.Pod == pod.Metadata?.Name && l.Log.Namespace == (pod.Metadata?.NamespaceProperty ?? DnsNamespace)).ToList();

    public V1Pod? DnsPod(string name) => DnsPods.FirstOrDefault(p => p.Metadata?.Name == name);

    public static ClusterEvidence From(ClusterSnapshot snapshot)
    {
        var deployments = snapshot.Deployments
            .Where(d => d.Metadata?.NamespaceProperty is null or DnsNamespace)
            .Where(d => HasDnsLabel(d.Metadata) || d.Metadata?.Name is "coredns" or "kube-dns")
            .OrderBy(d => d.Metadata?.Name, StringComparer.Ordinal).ToList();
        var selectors = deployments.Select(d => d.Spec?.Selector?.MatchLabels).Where(m => m is { Count: > 0 }).ToList();
        var pods = snapshot.Pods
            .Where(p => p.Metadata?.NamespaceProperty is null or DnsNamespace)
            .Where(p => HasDnsLabel(p.Metadata) || selectors.Any(s => Matches(p.Metadata?.Labels, s!)))
            .OrderBy(p => p.Metadata?.Name, StringComparer.Ordinal).ToList();
        var kubeSystemServices = snapshot.Services.Where(s => s.Metadata?.NamespaceProperty is null or DnsNamespace).ToList();
        var service = kubeSystemServices.FirstOrDefault(s => s.Metadata?.Name == "kube-dns")
            ?? kubeSystemServices.FirstOrDefault(s => s.Metadata?.Name == "coredns")
            ?? kubeSystemServices.FirstOrDefault(s => HasDnsLabel(s.Metadata));
        var serviceName = service?.Metadata?.Name ?? "kube-dns";
        var endpoints = snapshot.Endpoints.FirstOrDefault(e => e.Metadata?.Name == serviceName && e.Metadata?.NamespaceProperty is null or DnsNamespace);
        var slices = snapshot.EndpointSlices
            .Where(s => s.Metadata?.NamespaceProperty is null or DnsNamespace)
            .Where(s => s.Metadata?.Labels is { } l && l.TryGetValue(ServiceNameLabel, out var n) && n == serviceName)
            .OrderBy(s => s.Metadata?.Name, StringComparer.Ordinal).ToList();
        var configMap = snapshot.ConfigMaps.FirstOrDefault(c => c.Metadata?.Name == "coredns" && c.Metadata?.NamespaceProperty is null or DnsNamespace && c.Data?.ContainsKey("Corefile") == true)
            ?? snapshot.ConfigMaps.FirstOrDefault(c => c.Metadata?.NamespaceProperty is null or DnsNamespace && c.Data?.ContainsKey("Corefile") == true);
        var podNames = pods.Select(p => p.Metadata?.Name).ToHashSet(StringComparer.Ordinal);
        var logs = snapshot.Logs
            .Where(l => l.Namespace == DnsNamespace && podNames.Contains(l.Pod))
            .OrderBy(l => l.Pod, StringComparer.Ordinal).ThenBy(l => l.Container, StringComparer.Ordinal).ThenByDescending(l => l.Previous)
            .Select(l => new CoreDnsPodLog(l, CoreDnsLogSummary.Of(l.Text), pods.First(p => p.Metadata?.Name == l.Pod).Spec?.NodeName))
            .ToList();
        var targets = snapshot.TargetPods.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(key => new TargetPodDns(
                key,
                snapshot.Pods.FirstOrDefault(p => Key(p.Metadata) == key),
                snapshot.PodResolvConfs.TryGetValue(key, out var text) ? text : null))
            .ToList();

        return new ClusterEvidence
        {
            Source = snapshot.Source,
            CollectedAt = snapshot.CollectedAt,
            DnsDeployments = deployments,
            DnsPods = pods,
            DnsService = service,
            DnsEndpoints = endpoints,
            DnsEndpointSlices = slices,
            CorefileSource = configMap is null ? null : Key(configMap.Metadata),
            Corefile = configMap?.Data is { } data && data.TryGetValue("Corefile", out var corefile) ? Corefile.Parse(corefile) : null,
            Events = snapshot.Events.ToList(),
            DnsLogs = logs,
            Nodes = snapshot.Nodes.OrderBy(n => n.Metadata?.Name, StringComparer.Ordinal).ToList(),
            Targets = targets,
            NodeResolvConfs = new Dictionary<string, string>(snapshot.NodeResolvConfs, StringComparer.Ordinal),
            Unavailable = new HashSet<ClusterEvidenceKind>(snapshot.Unavailable),
        };
    }

    private static bool HasDnsLabel(V1ObjectMeta? meta) =>
        meta?.Labels is { } labels && labels.TryGetValue(DnsAppLabel, out var value) && value == DnsAppValue;

    private static bool Matches(IDictionary<string, string>? labels, IDictionary<string, string> selector) =>
        labels is not null && selector.All(kv => labels.TryGetValue(kv.Key, out var v) && v == kv.Value);
}
