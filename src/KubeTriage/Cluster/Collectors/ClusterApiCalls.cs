namespace KubeTriage.Cluster.Collectors;

/// <summary>Every request of <see cref="ApiClusterCollector"/>; the RBAC manifest test compares deploy/rbac.yaml with this list.</summary>
public static class ClusterApiCalls
{
    private const string KubeSystem = ClusterEvidence.DnsNamespace;

    public static readonly ApiCall ListDeployments = new("list", "apps", "deployments", KubeSystem);
    public static readonly ApiCall ListPods = new("list", "", "pods", KubeSystem);
    public static readonly ApiCall ListServices = new("list", "", "services", KubeSystem);
    public static readonly ApiCall GetEndpoints = new("get", "", "endpoints", KubeSystem);
    public static readonly ApiCall ListEndpointSlices = new("list", "discovery.k8s.io", "endpointslices", KubeSystem);
    public static readonly ApiCall GetConfigMap = new("get", "", "configmaps", KubeSystem);
    public static readonly ApiCall ListEvents = new("list", "", "events", KubeSystem);
    public static readonly ApiCall ListEventsV1 = new("list", "events.k8s.io", "events", KubeSystem);
    public static readonly ApiCall GetPodLog = new("get", "", "pods/log", KubeSystem);
    public static readonly ApiCall ListNodes = new("list", "", "nodes", null);
    public static readonly ApiCall GetTargetPod = new("get", "", "pods", ApiCall.AnyNamespace);
    public static readonly ApiCall ListTargetEvents = new("list", "", "events", ApiCall.AnyNamespace);
    public static readonly ApiCall ListTargetEventsV1 = new("list", "events.k8s.io", "events", ApiCall.AnyNamespace);

    public static IReadOnlyList<ApiCall> All { get; } =
    [
        ListDeployments, ListPods, ListServices, GetEndpoints, ListEndpointSlices, GetConfigMap, ListEvents, ListEventsV1,
        GetPodLog, ListNodes, GetTargetPod, ListTargetEvents, ListTargetEventsV1,
    ];
}
