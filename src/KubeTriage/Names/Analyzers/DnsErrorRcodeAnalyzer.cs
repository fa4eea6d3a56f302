using KubeTriage.Findings;

namespace KubeTriage.Names.Analyzers;

/// <summary>
/// A resolver answers a name with an error code: SERVFAIL, REFUSED (or another failure code) is a warning;
/// NXDOMAIN is info, or a warning when the name is an expected dependency. One finding per name, resolver and code.
/// </summary>
public sealed class DnsErrorRcodeAnalyzer : IAnalyzer<DnsProbeEvidence>
{
    public string Id => FindingIds.DnsErrorRcode;

    public string Title => "A resolver answers with an error code";

    public IEnumerable<Finding> Analyze(DnsProbeEvidence evidence)
    {
        var results = evidence.Results;
        foreach (var name in results.Names)
        {
            var expected = evidence.Expectations.ForName(name) is not null;
            foreach (var resolver in results.Resolvers)
            {
                var failed = results.For(name, resolver)
                    .Where(p => p.IsAnswered && p.Rcode is not (null or DnsRcodes.NoError))
                    .GroupBy(p => p.Rcode!, StringComparer.Ordinal);
                foreach (var group in failed)
                {
                    var rcode = group.Key;
                    var severity = rcode == DnsRcodes.NxDomain && !expected ? Severity.Info : Severity.Warning;
                    var lines = group.Select(DnsEvidenceText.Answer).ToList();
                    if (rcode == DnsRcodes.NxDomain && expected)
                    {
                        lines.Add($"{name} is a dependency in the expectations file: the app needs it to resolve");
                    }

                    lines.Add(DnsEvidenceText.FoundIn(resolver));
                    yield return new Finding(
                        Id,
                        severity,
                        $"{resolver.Label} answers {name} with {rcode}",
                        $"{name} @ {resolver.Endpoint}",
                        lines,
                        Remediation(rcode, name, resolver));
                }
            }
        }
    }

    private static string Remediation(string rcode, string name, DnsResolver resolver)
    {
        var recheck = DnsEvidenceText.Recheck(name, resolver);
        return rcode switch
        {
            DnsRcodes.NxDomain => $"check the name and its zone on {resolver.Endpoint} (dig @{resolver.Address} {name} SOA); re-check: {recheck}",
            DnsRcodes.Refused => $"{resolver.Endpoint} refuses to resolve for this client: allow recursion for the pod and node subnets on it; re-check: {recheck}",
            _ when resolver.Role == ResolverRole.ClusterDns =>
                $"see why cluster DNS cannot resolve {name}: kubectl -n kube-system logs -l k8s-app=kube-dns --tail=100; re-check: {recheck}",
            _ => $"see why {resolver.Endpoint} cannot resolve {name} (its own upstreams, its logs); re-check: {recheck}",
        };
    }
}
