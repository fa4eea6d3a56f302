using KubeTriage.Findings;

namespace KubeTriage.Names;

/// <summary>What to ask and how: the names, the resolvers, the pod's resolv.conf (for the search list) and the limits.</summary>
public sealed record DnsCheckRequest(
    IReadOnlyList<string> Names,
    IReadOnlyList<DnsResolver> Resolvers,
    ResolvConf? PodResolvConf,
    Expectations Expectations,
    TimeSpan Timeout,
    int Retries = 0,
    int MaxParallel = DnsCheck.DefaultMaxParallel);

/// <summary>The probe results (the report's <c>dnsProbes</c> section), the findings and what went wrong on the way.</summary>
public sealed record DnsCheckResult(DnsProbeResults Results, IReadOnlyList<Finding> Findings, IReadOnlyList<string> Problems);

/// <summary>The names room end to end: probe every resolver, then run the names analyzers over the results.</summary>
public static class DnsCheck
{
    public const int DefaultMaxParallel = 16;

    public static async Task<DnsCheckResult> RunAsync(DnsCheckRequest request, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var prober = new DnsProber(request.Timeout, request.Retries, request.MaxParallel);
        var results = await new DnsProbeCollector(prober)
            .CollectAsync(request.Names, request.Resolvers, request.PodResolvConf, cancellationToken)
            .ConfigureAwait(false);
        var findings = AnalyzerRunner.Run(AnalyzerCatalog.Names, new DnsProbeEvidence(results, request.Expectations), problems);
        return new DnsCheckResult(results, findings, problems);
    }
}
