using KubeTriage.Findings;

namespace KubeTriage.Names.Analyzers;

/// <summary>
/// A resolver answers a name with an address outside the name's <c>resolvesTo</c> ranges (the incident's
/// object-storage name resolving to the public path instead of the dedicated line). One finding per name and
/// resolver; critical when the resolver is on the pod's path (cluster DNS or one of its upstreams).
/// </summary>
public sealed class DnsUnexpectedAnswerAnalyzer : IAnalyzer<DnsProbeEvidence>
{
    public string Id => FindingIds.DnsUnexpectedAnswer;

    public string Title => "A name resolves outside its expected ranges";

    public IEnumerable<Finding> Analyze(DnsProbeEvidence evidence)
    {
        foreach (var name in evidence.Results.Names)
        {
            if (evidence.Expectations.ForName(name) is not { ResolvesTo.Count: > 0 } dependency)
            {
                continue;
            }

            var ranges = string.Join(", ", dependency.ResolvesTo);
            foreach (var resolver in evidence.Results.Resolvers)
            {
                var probes = evidence.Results.For(name, resolver).Where(p => p.IsAnswered).ToList();
                var unexpected = DnsProbeEvidence.Addresses(probes)
                    .Where(a => System.Net.IPAddress.TryParse(a, out var ip) && dependency.IsUnexpected(ip))
                    .ToList();
                if (unexpected.Count == 0)
                {
                    continue;
                }

                var onPath = ResolverRoles.IsPodPath(resolver.Role);
                var lines = new List<string>();
                lines.AddRange(probes.Where(p => p.Answers.Intersect(unexpected).Any()).Select(DnsEvidenceText.Answer));
                lines.Add($"expected: {name} resolvesTo [{ranges}] ({evidence.Expectations.LocationOf(dependency)}); outside: {string.Join(", ", unexpected)}");
                lines.Add(DnsEvidenceText.FoundIn(resolver));
                if (resolver.Role == ResolverRole.ClusterDns && SameAnswerElsewhere(evidence.Results, name, resolver, unexpected) is { Count: > 0 } sources)
                {
                    lines.Add($"the same answer comes from {string.Join(", ", sources.Select(r => r.Label))}: cluster DNS passes on what it is told there");
                }

                if (onPath)
                {
                    lines.Add($"the pod's lookups of {name} pass through {resolver.Endpoint}: the app connects to {string.Join(", ", unexpected)}");
                }

                yield return new Finding(
                    Id,
                    onPath ? Severity.Critical : Severity.Warning,
                    $"{name} resolves to {string.Join(", ", unexpected)} at {resolver.Label}, outside [{ranges}]",
                    $"{name} @ {resolver.Endpoint}",
                    lines,
                    Remediation(name, resolver, ranges));
            }
        }
    }

    /// <summary>The other resolvers (not cluster DNS) that gave one of the same unexpected addresses for the name.</summary>
    private static IReadOnlyList<DnsResolver> SameAnswerElsewhere(DnsProbeResults results, string name, DnsResolver clusterDns, IReadOnlyList<string> unexpected) =>
        results.Resolvers
            .Where(r => r != clusterDns && r.Role != ResolverRole.ClusterDns)
            .Where(r => results.For(name, r).Any(p => p.IsAnswered && p.Answers.Intersect(unexpected).Any()))
            .ToList();

    private static string Remediation(string name, DnsResolver resolver, string ranges) => resolver.Role == ResolverRole.ClusterDns
        ? $"fix the {name} record where cluster DNS gets it (its upstream resolvers) to an address in [{ranges}], "
          + $"flush its cache: kubectl -n kube-system rollout restart deployment coredns; re-check: {DnsEvidenceText.Recheck(name, resolver)}"
        : $"fix the {name} record on {resolver.Endpoint} to an address in [{ranges}]; re-check: {DnsEvidenceText.Recheck(name, resolver)}";
}
