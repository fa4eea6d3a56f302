using KubeTriage.Bundle;
using KubeTriage.Cluster;
using KubeTriage.Cluster.Collectors;

namespace KubeTriage.Tests.Cluster;

/// <summary>The scenario folders of tests/testdata/cluster, copied next to the test assembly.</summary>
internal static class ClusterFixtures
{
    public const string Healthy = "healthy-2-replicas";
    public const string Incident = "incident-single-replica-crashloop";
    public const string NoReadyEndpoints = "no-ready-endpoints";
    public const string ForwardLoop = "forward-loop";
    public const string NameserverMismatch = "nameserver-mismatch";
    public const string RbacDenied = "rbac-denied-logs";

    public static string Dir(string scenario) => Path.Combine(AppContext.BaseDirectory, "testdata", "cluster", scenario);

    public static ClusterSnapshot Snapshot(string scenario, params string[] targetPods) =>
        BundleClusterCollector.Read(new BundleReader(Dir(scenario)), targetPods);

    public static ClusterEvidence Evidence(string scenario, params string[] targetPods) => ClusterEvidence.From(Snapshot(scenario, targetPods));
}
