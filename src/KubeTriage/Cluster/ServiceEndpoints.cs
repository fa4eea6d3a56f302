namespace KubeTriage.Cluster;

/// <summary>One endpoint address of the DNS Service with the pod and node behind it.</summary>
public sealed record EndpointAddress(string Address, string? Pod, string? Node);

/// <summary>
/// The ready and not-ready addresses of the cluster-DNS Service, from EndpointSlices when there are any,
/// else from the (deprecated since 1.33) Endpoints object. Null when neither could be read.
/// </summary>
public sealed record ServiceEndpoints(string Source, IReadOnlyList<EndpointAddress> Ready, IReadOnlyList<EndpointAddress> NotReady)
{
    public static ServiceEndpoints? Of(ClusterEvidence evidence)
    {
        if (evidence.DnsEndpointSlices.Count > 0)
        {
            var ready = new List<EndpointAddress>();
            var notReady = new List<EndpointAddress>();
            foreach (var slice in evidence.DnsEndpointSlices)
            {
                foreach (var endpoint in slice.Endpoints ?? [])
                {
                    // discovery.k8s.io/v1: a nil "ready" means ready.
                    var isReady = endpoint.Conditions?.Ready ?? true;
                    foreach (var address in endpoint.Addresses ?? [])
                    {
                        (isReady ? ready : notReady).Add(new EndpointAddress(address, endpoint.TargetRef?.Name, endpoint.NodeName));
                    }
                }
            }

            var names = string.Join(", ", evidence.DnsEndpointSlices.Select(s => s.Metadata?.Name));
            return new ServiceEndpoints($"EndpointSlice {names}", ready, notReady);
        }

        if (evidence.DnsEndpoints is { } endpoints)
        {
            var subsets = endpoints.Subsets ?? [];
            return new ServiceEndpoints(
                $"Endpoints {endpoints.Metadata?.Name}",
                subsets.SelectMany(s => s.Addresses ?? []).Select(a => new EndpointAddress(a.Ip, a.TargetRef?.Name, a.NodeName)).ToList(),
                subsets.SelectMany(s => s.NotReadyAddresses ?? []).Select(a => new EndpointAddress(a.Ip, a.TargetRef?.Name, a.NodeName)).ToList());
        }

        // Read fine but absent: an Endpoints object with no subsets would be here; nothing at all means no pod ever matched.
        if (evidence.Has(ClusterEvidenceKind.Endpoints) && evidence.Has(ClusterEvidenceKind.EndpointSlices) && evidence.DnsService is not null)
        {
            return new ServiceEndpoints("no Endpoints/EndpointSlice object", [], []);
        }

        return null;
    }
}
