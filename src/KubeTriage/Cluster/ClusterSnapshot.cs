using k8s.Models;

namespace KubeTriage.Cluster;

/// <summary>
/// Everything a collector read, as it came: Kubernetes objects (KubernetesClient models), logs, resolv.conf
/// files, and what could not be read (<see cref="Problems"/>, <see cref="Unavailable"/>). The live API collector
/// and the bundle reader both produce one; <see cref="ClusterEvidence"/> picks the cluster-DNS parts out of it.
/// </summary>
public sealed class ClusterSnapshot
{
    /// <summary>Where it came from: the api-server URL or the bundle directory.</summary>
    public string Source { get; init; } = string.Empty;

    public DateTimeOffset CollectedAt { get; init; } = DateTimeOffset.UtcNow;

    public List<V1Deployment> Deployments { get; } = [];

    public List<V1Pod> Pods { get; } = [];

    public List<V1Service> Services { get; } = [];

    public List<V1Endpoints> Endpoints { get; } = [];

    public List<V1EndpointSlice> EndpointSlices { get; } = [];

    public List<V1ConfigMap> ConfigMaps { get; } = [];

    public List<ClusterEvent> Events { get; } = [];

    public List<V1Node> Nodes { get; } = [];

    public List<PodLog> Logs { get; } = [];

    /// <summary>resolv.conf text of pods, keyed <c>namespace/name</c> (bundle <c>cluster/pods/NS/POD/resolv.conf</c>).</summary>
    public Dictionary<string, string> PodResolvConfs { get; } = new(StringComparer.Ordinal);

    /// <summary>resolv.conf text of nodes, keyed by node name (bundle <c>nodes/NODE/resolv.conf</c>).</summary>
    public Dictionary<string, string> NodeResolvConfs { get; } = new(StringComparer.Ordinal);

    /// <summary>The pods whose DNS setup to check (<c>namespace/name</c>).</summary>
    public List<string> TargetPods { get; } = [];

    public List<string> Problems { get; } = [];

    public HashSet<ClusterEvidenceKind> Unavailable { get; } = [];
}
