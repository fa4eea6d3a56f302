namespace KubeTriage.Names;

/// <summary>
/// The <c>dnsProbes</c> section of a report: the resolvers asked (with their roles), the names, every
/// question and its answer, and the search-list expansion a ClusterFirst pod pays for each name
/// (<see cref="SearchExpansionNote"/> says why there is none when there is none).
/// </summary>
public sealed record DnsProbeResults(
    double TimeoutSeconds,
    int Retries,
    IReadOnlyList<DnsResolver> Resolvers,
    IReadOnlyList<string> Names,
    IReadOnlyList<DnsProbe> Probes,
    IReadOnlyList<SearchExpansion> SearchExpansions,
    string? SearchExpansionNote)
{
    /// <summary>The probes of one name at one resolver (A first, then AAAA).</summary>
    public IReadOnlyList<DnsProbe> For(string name, DnsResolver resolver) =>
        Probes.Where(p => p.Name == name && p.Resolver == resolver).OrderBy(p => p.Type == "AAAA").ToList();
}
