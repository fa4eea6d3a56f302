using DnsClient;

namespace KubeTriage.Names;

/// <summary>
/// Asks every resolver every name (A and AAAA), all in parallel but bounded by the prober, and replays
/// the search-list expansion a ClusterFirst pod does against its cluster DNS.
/// </summary>
public sealed class DnsProbeCollector(DnsProber prober)
{
    public async Task<DnsProbeResults> CollectAsync(
        IReadOnlyList<string> names,
        IReadOnlyList<DnsResolver> resolvers,
        ResolvConf? podResolvConf,
        CancellationToken cancellationToken)
    {
        var normalized = names.Select(DnsNames.Normalize).Distinct(StringComparer.Ordinal).ToList();
        await DnsClientWarmup.RunAsync(cancellationToken).ConfigureAwait(false);
        var probeTasks = (
            from name in normalized
            from resolver in resolvers
            from type in new[] { QueryType.A, QueryType.AAAA }
            select prober.ProbeAsync(name, type, resolver, cancellationToken)).ToList();

        var searchResolver = SearchResolver(resolvers, podResolvConf);
        var searchTasks = searchResolver is null || podResolvConf is null
            ? []
            : normalized.Select(n => ExpandAsync(n, searchResolver, podResolvConf, cancellationToken)).ToList();

        var probes = await Task.WhenAll(probeTasks).ConfigureAwait(false);
        var expansions = await Task.WhenAll(searchTasks).ConfigureAwait(false);
        var note = podResolvConf is null
            ? "not replayed: the pod's resolv.conf is unknown (give --resolv-conf FILE)"
            : searchResolver is null
                ? "not replayed: no cluster-dns resolver among those asked (name one with --resolver IP=cluster-dns)"
                : null;
        return new DnsProbeResults(prober.Timeout.TotalSeconds, prober.Retries, resolvers, normalized, probes, expansions, note);
    }

    /// <summary>
    /// The resolver a pod's stub resolver asks first: the cluster-DNS resolver that is the first nameserver of
    /// the pod's resolv.conf, else the first cluster-DNS resolver. Null when none is among those probed.
    /// </summary>
    public static DnsResolver? SearchResolver(IReadOnlyList<DnsResolver> resolvers, ResolvConf? podResolvConf)
    {
        var clusterDns = resolvers.Where(r => r.Role == ResolverRole.ClusterDns).ToList();
        if (podResolvConf is null || clusterDns.Count == 0)
        {
            return null;
        }

        var first = podResolvConf.Nameservers.FirstOrDefault()?.ToString();
        return clusterDns.FirstOrDefault(r => r.Address == first && r.Port == DnsResolver.DefaultPort) ?? clusterDns[0];
    }

    /// <summary>
    /// Asks the candidates of <see cref="ResolvConf.Candidates"/> in order, A and AAAA together, and stops
    /// where glibc's res_search stops: at the first candidate with addresses, or at a timeout, a network
    /// error or a REFUSED. NXDOMAIN, an empty NOERROR (NODATA) and SERVFAIL move on to the next candidate.
    /// </summary>
    public async Task<SearchExpansion> ExpandAsync(string name, DnsResolver resolver, ResolvConf resolvConf, CancellationToken cancellationToken)
    {
        var steps = new List<SearchStep>();
        var queries = 0;
        var total = 0.0;
        string? answeredBy = null;
        var stopped = "no candidate had addresses";
        foreach (var candidate in resolvConf.Candidates(name))
        {
            var a = prober.ProbeAsync(candidate, QueryType.A, resolver, cancellationToken);
            var aaaa = prober.ProbeAsync(candidate, QueryType.AAAA, resolver, cancellationToken);
            var pair = await Task.WhenAll(a, aaaa).ConfigureAwait(false);
            queries += pair.Sum(p => p.Queries);
            var answers = pair.SelectMany(p => p.Answers).Distinct(StringComparer.Ordinal).ToList();
            var latency = pair.All(p => p.LatencySeconds is not null) ? pair.Max(p => p.LatencySeconds) : null;

            // A question that got no answer cost the whole timeout (and each retry).
            total += pair.Max(p => p.LatencySeconds ?? prober.Timeout.TotalSeconds * (1 + prober.Retries));
            var error = pair.Select(p => p.Error).FirstOrDefault(e => e is not null);
            steps.Add(new SearchStep(DnsNames.Normalize(candidate), pair[0].Rcode, pair[1].Rcode, answers, latency, error));
            if (answers.Count > 0)
            {
                answeredBy = DnsNames.Normalize(candidate);
                stopped = "answered";
                break;
            }

            var failed = pair.FirstOrDefault(p => !p.IsAnswered || p.Rcode is not (DnsRcodes.NxDomain or DnsRcodes.NoError or DnsRcodes.ServFail));
            if (failed is not null)
            {
                stopped = failed.IsAnswered
                    ? $"{failed.Rcode} for {failed.Type} ends the search"
                    : $"{failed.Type} {(failed.Outcome == DnsProbeOutcome.Timeout ? "timed out" : "failed")}, which ends the search";
                break;
            }
        }

        var nxDomains = steps.TakeWhile(s => s.Answers.Count == 0).Count(s => s.IsNxDomain);
        return new SearchExpansion(DnsNames.Normalize(name), resolver, resolvConf.Ndots, resolvConf.Search, steps,
            answeredBy, queries, nxDomains, total, stopped);
    }
}
