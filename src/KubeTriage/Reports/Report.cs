using KubeTriage.Findings;

namespace KubeTriage.Reports;

/// <summary>
/// One run's result: findings (sorted), problems (evidence that could not be read, analyzers that
/// failed) and one section per room that ran. Sections are plain data; JSON writes them as they are
/// and <see cref="ISectionRenderer"/>s draw them for people.
/// </summary>
public sealed class Report
{
    public int SchemaVersion => 1;

    public string Tool { get; init; } = "kubetriage";

    public string Command { get; init; } = string.Empty;

    public DateTimeOffset GeneratedAt { get; init; } = DateTimeOffset.UtcNow;

    public IReadOnlyList<Finding> Findings { get; set; } = [];

    public List<string> Problems { get; } = [];

    /// <summary>Wire evidence: files, peers, interfaces, tcp, dns, mysql, http, tls.</summary>
    public object? Capture { get; set; }

    public object? Node { get; set; }

    public object? Cluster { get; set; }

    public object? DnsProbes { get; set; }

    /// <summary>0 when nothing is at warning or above, 1 otherwise (the contract's exit codes).</summary>
    public int ExitCode => Findings.Any(f => f.Severity >= Severity.Warning) ? 1 : 0;

    public IEnumerable<object> Sections()
    {
        if (Cluster is not null) yield return Cluster;
        if (Node is not null) yield return Node;
        if (DnsProbes is not null) yield return DnsProbes;
        if (Capture is not null) yield return Capture;
    }
}
