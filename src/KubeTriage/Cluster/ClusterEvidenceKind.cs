namespace KubeTriage.Cluster;

/// <summary>The pieces of cluster evidence a run reads; one missing (RBAC, not found) must not be read as "empty".</summary>
public enum ClusterEvidenceKind
{
    Deployments,
    Pods,
    Services,
    Endpoints,
    EndpointSlices,
    ConfigMaps,
    Events,
    Logs,
    Nodes,
    TargetPod,
}
