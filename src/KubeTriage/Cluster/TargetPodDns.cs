namespace KubeTriage.Cluster;

/// <summary>A pod whose DNS setup is checked: its object (when it could be read) and its resolv.conf (when collected).</summary>
public sealed record TargetPodDns(string Key, k8s.Models.V1Pod? Pod, string? ResolvConfText);
