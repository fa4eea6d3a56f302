using KubeTriage.Capture.Primitives;

namespace KubeTriage.Wire;

/// <summary>
/// How a capture run is aggregated: the pod's addresses when known (otherwise they are inferred), the
/// slow-query threshold the MySQL groups count at, and how many records are kept.
/// </summary>
public sealed record CaptureEvidenceOptions
{
    public IReadOnlyList<NetAddress> PodIps { get; init; } = [];

    /// <summary>The capturing node's NIC subnets (from its <c>ip -j addr</c>), when known: which NIC holds the pod subnet.</summary>
    public IReadOnlyList<NodeNicSubnet> NodeSubnets { get; init; } = [];

    public int SlowQueryMs { get; init; } = 1000;

    /// <summary>
    /// A DNS answer that came this long or longer after its question was first sent is late. 1 s: cluster DNS
    /// answers in milliseconds, and even a cold recursive lookup rarely takes a second, while every resolver retry
    /// timer is a second or more (glibc 5 s by default).
    /// </summary>
    public int SlowDnsMs { get; init; } = 1000;

    /// <summary>Every transaction of a kind is kept while there are at most this many.</summary>
    public int KeepAll { get; init; } = 2000;

    /// <summary>Past <see cref="KeepAll"/>, failures kept per kind.</summary>
    public int KeepFailures { get; init; } = 5000;

    /// <summary>Past <see cref="KeepAll"/>, the slowest successes kept per kind.</summary>
    public int KeepSlowest { get; init; } = 200;

    /// <summary>Distinct groups (TCP client/server, DNS query, statement shape…) counted per kind.</summary>
    public int MaxGroups { get; init; } = 50_000;

    /// <summary>Diagnostics kept per reason (all are counted).</summary>
    public int DiagnosticsPerReason { get; init; } = 20;

    /// <summary>Unanswered DNS queries sent this close to the end of the capture may have been answered after it.</summary>
    public long CaptureEndGraceNs { get; init; } = 1_000_000_000;
}
