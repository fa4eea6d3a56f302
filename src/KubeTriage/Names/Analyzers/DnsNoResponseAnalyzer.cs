using KubeTriage.Findings;

namespace KubeTriage.Names.Analyzers;

/// <summary>
/// A resolver did not answer (timeout or network error). One finding per resolver; critical when it is the
/// pod's cluster DNS or when no resolver answered anything.
/// </summary>
public sealed class DnsNoResponseAnalyzer : IAnalyzer<DnsProbeEvidence>
{
    public string Id => FindingIds.DnsNoResponse;

    public string Title => "A resolver does not answer";

    public IEnumerable<Finding> Analyze(DnsProbeEvidence evidence)
    {
        var results = evidence.Results;
        var answering = results.Resolvers.Where(r => results.Probes.Any(p => p.Resolver == r && p.IsAnswered)).ToList();
        var noneAnswered = results.Probes.Count > 0 && answering.Count == 0;
        foreach (var resolver in results.Resolvers)
        {
            var silent = results.Probes.Where(p => p.Resolver == resolver && !p.IsAnswered).ToList();
            if (silent.Count == 0)
            {
                continue;
            }

            var asked = results.Probes.Count(p => p.Resolver == resolver);
            var lines = new List<string>
            {
                $"{silent.Count} of {asked} questions to {resolver.Label} got no answer within "
                + $"{DnsEvidenceText.Timeout(results.TimeoutSeconds)} ({results.Retries} retries)",
            };
            lines.AddRange(silent.Select(p =>
                $"{p.Name} {p.Type}: {(p.Outcome == DnsProbeOutcome.Timeout ? "timeout" : "network error")} over {p.Transport}"
                + (p.Error is null ? string.Empty : $" ({p.Error})")));
            lines.Add(DnsEvidenceText.FoundIn(resolver));
            if (answering.Count > 0)
            {
                lines.Add($"answering meanwhile: {string.Join(", ", answering.Select(r => r.Label))}");
            }

            var critical = resolver.Role == ResolverRole.ClusterDns || noneAnswered;
            yield return new Finding(
                Id,
                critical ? Severity.Critical : Severity.Warning,
                $"{resolver.Label} does not answer",
                resolver.Label,
                lines,
                Remediation(resolver, silent[0].Name));
        }
    }

    private static string Remediation(DnsResolver resolver, string name) => resolver.Role == ResolverRole.ClusterDns
        ? "check cluster DNS: kubectl -n kube-system get pods -l k8s-app=kube-dns -o wide; "
          + $"kubectl -n kube-system get endpoints kube-dns; re-check: {DnsEvidenceText.Recheck(name, resolver)}"
        : $"check that {resolver.Endpoint} port {resolver.Port} (udp and tcp) is up and reachable from the nodes "
          + $"(dig @{resolver.Address} -p {resolver.Port} {name} +tries=1 +time=2); re-check: {DnsEvidenceText.Recheck(name, resolver)}";
}
