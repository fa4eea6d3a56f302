namespace KubeTriage.Cluster.Logs;

/// <summary>Adds up per-address stats of several logs of one pod (previous container first, then current).</summary>
public static class CoreDnsAddressStatsMerger
{
    public static IReadOnlyList<CoreDnsAddressStats> Merge(IEnumerable<IReadOnlyList<CoreDnsAddressStats>> perLog)
    {
        var merged = new Dictionary<string, CoreDnsAddressStats>(StringComparer.Ordinal);
        foreach (var stats in perLog.SelectMany(s => s))
        {
            if (!merged.TryGetValue(stats.Address, out var seen))
            {
                merged[stats.Address] = stats;
                continue;
            }

            var kinds = new Dictionary<string, int>(seen.Kinds, StringComparer.Ordinal);
            foreach (var (kind, n) in stats.Kinds)
            {
                kinds[kind] = (kinds.TryGetValue(kind, out var m) ? m : 0) + n;
            }

            merged[stats.Address] = seen with
            {
                Count = seen.Count + stats.Count,
                LoopProbes = seen.LoopProbes + stats.LoopProbes,
                Kinds = kinds,
                Last = stats.Last,
            };
        }

        return merged.Values.OrderByDescending(s => s.Count).ThenBy(s => s.Address, StringComparer.Ordinal).ToList();
    }

    /// <summary><c>i/o timeout ×410, connection refused ×2</c>.</summary>
    public static string DescribeKinds(CoreDnsAddressStats stats) =>
        string.Join(", ", stats.Kinds.OrderByDescending(k => k.Value).ThenBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Key} ×{k.Value}"));
}
