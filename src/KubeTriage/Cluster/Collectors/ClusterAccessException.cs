namespace KubeTriage.Cluster.Collectors;

/// <summary>
/// The cluster cannot be used at all: no or bad kubeconfig, unknown context, api-server unreachable or
/// credentials rejected. One line for the user; partial evidence problems never use this.
/// </summary>
public sealed class ClusterAccessException(string message) : Exception(message);
