using k8s.Models;

namespace KubeTriage.Bundle;

/// <summary>The objects of a kubectl JSON file, by kind, plus what could not be read.</summary>
public sealed class KubeObjects
{
    public List<V1Pod> Pods { get; } = [];

    public List<V1Deployment> Deployments { get; } = [];

    public List<V1Service> Services { get; } = [];

    public List<V1Endpoints> Endpoints { get; } = [];

    public List<V1EndpointSlice> EndpointSlices { get; } = [];

    public List<V1ConfigMap> ConfigMaps { get; } = [];

    public List<Corev1Event> CoreEvents { get; } = [];

    public List<Eventsv1Event> EventsV1 { get; } = [];

    public List<V1Node> Nodes { get; } = [];

    /// <summary>Kinds present in the file that nothing reads, with their counts.</summary>
    public Dictionary<string, int> Skipped { get; } = new(StringComparer.Ordinal);

    public List<string> Problems { get; } = [];
}
