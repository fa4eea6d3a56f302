using KubeTriage.Capture.Primitives;

namespace KubeTriage.Wire;

/// <summary>
/// DNS queries of one client to one server for one name and type that ended the same way:
/// <see cref="Rcode"/> is null for queries that got no answer in the capture.
/// </summary>
public sealed record DnsQueryGroup
{
    public required NetAddress Client { get; init; }

    public required NetAddress Server { get; init; }

    /// <summary>Lower case, no trailing dot.</summary>
    public required string Name { get; init; }

    public ushort Type { get; init; }

    public int? Rcode { get; init; }

    public long Count { get; init; }

    public long Retransmissions { get; init; }

    public long FirstTimeNs { get; init; }

    public long LastTimeNs { get; init; }

    public long FirstFrame { get; init; }

    public string File { get; init; } = string.Empty;

    public long MaxLatencyNs { get; init; }

    /// <summary>Unanswered queries sent so close to the end of the capture that the answer may simply not be in it.</summary>
    public long AtCaptureEnd { get; init; }

    public bool Answered => Rcode is not null;
}
