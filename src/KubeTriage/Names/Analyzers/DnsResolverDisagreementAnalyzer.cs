using System.Net;
using KubeTriage.Findings;

namespace KubeTriage.Names.Analyzers;

/// <summary>
/// Resolvers that answered a name give different address sets (an NXDOMAIN counts as the empty set). Warning,
/// caused by <c>dns.unexpected-answer</c> when some side is outside the expected ranges; info when every side
/// is inside them (e.g. load balancing within the dedicated range).
/// </summary>
public sealed class DnsResolverDisagreementAnalyzer : IAnalyzer<DnsProbeEvidence>
{
    public string Id => FindingIds.DnsResolverDisagreement;

    public string Title => "Resolvers disagree on a name";

    public IEnumerable<Finding> Analyze(DnsProbeEvidence evidence)
    {
        foreach (var name in evidence.Results.Names)
        {
            var sides = new List<(DnsResolver Resolver, IReadOnlyList<string> Addresses, string Rcode)>();
            foreach (var resolver in evidence.Results.Resolvers)
            {
                var probes = evidence.Results.For(name, resolver)
                    .Where(p => p.IsAnswered && p.Rcode is DnsRcodes.NoError or DnsRcodes.NxDomain)
                    .ToList();
                if (probes.Count == 0)
                {
                    continue;
                }

                var rcode = probes.Any(p => p.Rcode == DnsRcodes.NxDomain) ? DnsRcodes.NxDomain : DnsRcodes.NoError;
                sides.Add((resolver, DnsProbeEvidence.Addresses(probes).Order(StringComparer.Ordinal).ToList(), rcode));
            }

            var groups = sides.GroupBy(s => string.Join(",", s.Addresses), StringComparer.Ordinal).ToList();
            if (groups.Count < 2)
            {
                continue;
            }

            var dependency = evidence.Expectations.ForName(name);
            var all = sides.SelectMany(s => s.Addresses).Distinct(StringComparer.Ordinal).ToList();
            var anyUnexpected = dependency is { ResolvesTo.Count: > 0 }
                && all.Any(a => IPAddress.TryParse(a, out var ip) && dependency.IsUnexpected(ip));
            var allExpected = dependency is { ResolvesTo.Count: > 0 } && !anyUnexpected && sides.All(s => s.Addresses.Count > 0);
            var lines = sides.Select(s => $"{s.Resolver.Label}: {Describe(s.Addresses, s.Rcode)}").ToList();
            if (dependency is { ResolvesTo.Count: > 0 })
            {
                lines.Add($"expected: resolvesTo [{string.Join(", ", dependency.ResolvesTo)}] ({evidence.Expectations.LocationOf(dependency)})");
            }

            var recheck = $"kubetriage dns {name} {string.Join(" ", sides.Select(s => $"--resolver {s.Resolver.Endpoint}"))}";
            yield return new Finding(
                Id,
                allExpected ? Severity.Info : Severity.Warning,
                $"{sides.Count} resolvers give {groups.Count} different answers for {name}",
                name,
                lines,
                $"make every resolver serve the same (expected) record for {name}: compare with "
                + $"`dig @IP {name} +short` on each; re-check: {recheck}")
            {
                CausedBy = anyUnexpected ? [FindingIds.DnsUnexpectedAnswer] : [],
            };
        }
    }

    private static string Describe(IReadOnlyList<string> addresses, string rcode) =>
        addresses.Count > 0 ? string.Join(", ", addresses) : $"no address ({rcode})";
}
