namespace KubeTriage.Bundle;

/// <summary>
/// Paths of the bundle layout (contract.md), relative to the bundle root, with '/' separators.
/// <c>cluster/pods/NS/POD/resolv.conf</c> is an addition: the target pod's own resolv.conf.
/// </summary>
public static class BundleLayout
{
    public const string ClusterResources = "cluster/resources.json";
    public const string ClusterLogs = "cluster/logs";
    public const string ClusterPods = "cluster/pods";
    public const string Nodes = "nodes";
    public const string Captures = "captures";
    public const string Expectations = "expect.yaml";
    public const string LogSuffix = ".log";
    public const string PreviousLogSuffix = ".previous.log";

    public static string ContainerLog(string ns, string pod, string container, bool previous) =>
        $"{ClusterLogs}/{ns}/{pod}/{container}{(previous ? PreviousLogSuffix : LogSuffix)}";

    public static string PodResolvConf(string ns, string pod) => $"{ClusterPods}/{ns}/{pod}/resolv.conf";

    public static string NodeResolvConf(string node) => $"{Nodes}/{node}/resolv.conf";
}
