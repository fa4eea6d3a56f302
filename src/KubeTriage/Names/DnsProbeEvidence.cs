namespace KubeTriage.Names;

/// <summary>What the names analyzers judge: the probe results and what "normal" is (the expectations file).</summary>
public sealed record DnsProbeEvidence(DnsProbeResults Results, Expectations Expectations)
{
    /// <summary>Every address a resolver gave for a name, A then AAAA, without duplicates.</summary>
    public static IReadOnlyList<string> Addresses(IEnumerable<DnsProbe> probes) =>
        probes.Where(p => p.IsAnswered).SelectMany(p => p.Answers).Distinct(StringComparer.Ordinal).ToList();
}
