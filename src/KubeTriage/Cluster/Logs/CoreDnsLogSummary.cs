using System.Text.RegularExpressions;

namespace KubeTriage.Cluster.Logs;

/// <summary>
/// What one CoreDNS container log says, counted: entries per class (weighted for consolidated lines), failures
/// per upstream and per api-server address, the plugins readiness waited on, and the notable entries.
/// </summary>
public sealed partial class CoreDnsLogSummary
{
    /// <summary>The address used when an upstream failure names no upstream (<c>no healthy proxies</c>, consolidated lines).</summary>
    public const string UnknownAddress = "(unnamed)";

    private const int MaxSamples = 5;

    private CoreDnsLogSummary()
    {
    }

    public int Entries { get; private init; }

    public IReadOnlyDictionary<CoreDnsLogClass, int> Counts { get; private init; } = new Dictionary<CoreDnsLogClass, int>();

    public IReadOnlyList<CoreDnsAddressStats> Upstreams { get; private init; } = [];

    public IReadOnlyList<CoreDnsAddressStats> ApiServers { get; private init; } = [];

    /// <summary>Plugin lists of the readiness lines (<c>kubernetes</c>), distinct.</summary>
    public IReadOnlyList<string> NotReadyPlugins { get; private init; } = [];

    public IReadOnlyList<CoreDnsLogEntry> Loops { get; private init; } = [];

    /// <summary>Api-server failures that name no address (<c>starting server with unsynced Kubernetes API</c>), up to five.</summary>
    public IReadOnlyList<CoreDnsLogEntry> UnnamedApiFailures { get; private init; } = [];

    public IReadOnlyList<CoreDnsLogEntry> RbacDenied { get; private init; } = [];

    /// <summary>Up to five other ERROR/FATAL entries.</summary>
    public IReadOnlyList<CoreDnsLogEntry> OtherErrors { get; private init; } = [];

    /// <summary>The CoreDNS version from the start-up banner (<c>CoreDNS-1.11.1</c> → <c>1.11.1</c>), when logged.</summary>
    public string? Version { get; private init; }

    public DateTimeOffset? FirstTime { get; private init; }

    public DateTimeOffset? LastTime { get; private init; }

    public int Count(CoreDnsLogClass logClass) => Counts.TryGetValue(logClass, out var n) ? n : 0;

    public static CoreDnsLogSummary Of(string logText) => Of(CoreDnsLogReader.Read(logText));

    public static CoreDnsLogSummary Of(IReadOnlyList<CoreDnsLogEntry> entries)
    {
        var counts = new Dictionary<CoreDnsLogClass, int>();
        foreach (var e in entries)
        {
            counts[e.Class] = (counts.TryGetValue(e.Class, out var n) ? n : 0) + e.Weight;
        }

        string? version = null;
        foreach (var e in entries)
        {
            var banner = Banner().Match(e.Text);
            if (banner.Success)
            {
                version = banner.Groups[1].Value;
            }
        }

        var times = entries.Where(e => e.Time is not null).Select(e => e.Time!.Value).ToList();
        return new CoreDnsLogSummary
        {
            Entries = entries.Count,
            Counts = counts,
            Upstreams = Stats(entries.Where(e => e.Class == CoreDnsLogClass.UpstreamTimeout), e => e.Upstream),
            ApiServers = Stats(entries.Where(e => e.Class == CoreDnsLogClass.ApiServerUnreachable && e.ApiServer is not null), e => e.ApiServer),
            NotReadyPlugins = entries.Where(e => e.Class == CoreDnsLogClass.ReadyWaiting && e.Detail is not null)
                .SelectMany(e => e.Detail!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
            Loops = entries.Where(e => e.Class == CoreDnsLogClass.LoopDetected).Take(MaxSamples).ToList(),
            UnnamedApiFailures = entries.Where(e => e.Class == CoreDnsLogClass.ApiServerUnreachable && e.ApiServer is null).Take(MaxSamples).ToList(),
            RbacDenied = entries.Where(e => e.Class == CoreDnsLogClass.RbacDenied).Take(MaxSamples).ToList(),
            OtherErrors = entries.Where(e => e.Class == CoreDnsLogClass.OtherError).Take(MaxSamples).ToList(),
            Version = version,
            FirstTime = times.Count > 0 ? times.Min() : null,
            LastTime = times.Count > 0 ? times.Max() : null,
        };
    }

    private static List<CoreDnsAddressStats> Stats(IEnumerable<CoreDnsLogEntry> entries, Func<CoreDnsLogEntry, string?> address) =>
        entries.GroupBy(e => address(e) ?? UnknownAddress, StringComparer.Ordinal)
            .Select(g => new CoreDnsAddressStats(
                g.Key,
                g.Sum(e => e.Weight),
                g.Where(e => e.LoopProbe).Sum(e => e.Weight),
                g.GroupBy(e => e.Detail ?? "error", StringComparer.Ordinal).ToDictionary(k => k.Key, k => k.Sum(e => e.Weight), StringComparer.Ordinal),
                g.First(),
                g.Last()))
            .OrderByDescending(s => s.Count).ThenBy(s => s.Address, StringComparer.Ordinal)
            .ToList();

    [GeneratedRegex(@"^CoreDNS-(\d+\.\d+\.\d+\S*)")]
    private static partial Regex Banner();
}
