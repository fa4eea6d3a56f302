namespace KubeTriage.Names;

/// <summary>
/// What a ClusterFirst pod's stub resolver really sends for <see cref="Name"/>: the candidates from its
/// resolv.conf (<see cref="Ndots"/>, <see cref="Search"/>) asked in order of <see cref="Resolver"/> until one
/// answers. <see cref="AnsweredBy"/> is the candidate that gave addresses (null when none did);
/// <see cref="Queries"/> counts DNS messages (A and AAAA per candidate), <see cref="NxDomains"/> the candidates
/// that came back NXDOMAIN before the answer, <see cref="TotalSeconds"/> the time the lookup costs.
/// </summary>
public sealed record SearchExpansion(
    string Name,
    DnsResolver Resolver,
    int Ndots,
    IReadOnlyList<string> Search,
    IReadOnlyList<SearchStep> Steps,
    string? AnsweredBy,
    int Queries,
    int NxDomains,
    double TotalSeconds,
    string Stopped);
