using KubeTriage.Capture.Primitives;
using KubeTriage.Capture.Protocols.Http;

namespace KubeTriage.Wire;

/// <summary>
/// Responses with one error status (400 and above) that one server sent to one client for one Host, counted over
/// every transaction of the capture (not only the records kept), with the earliest few to cite.
/// </summary>
public sealed record HttpErrorGroup
{
    public required NetAddress Client { get; init; }

    public required WireEndpoint Server { get; init; }

    /// <summary>The request's Host header as sent (port included when it was), or empty when there was none.</summary>
    public string Host { get; init; } = string.Empty;

    public required int Status { get; init; }

    public long Count { get; init; }

    /// <summary>Every answered request of this client to this server and Host, whatever its status (the same on each of their groups).</summary>
    public long Responses { get; init; }

    public long FirstTimeNs { get; init; }

    public long LastTimeNs { get; init; }

    /// <summary>The earliest requests that got this status, in time order.</summary>
    public IReadOnlyList<HttpTransaction> Examples { get; init; } = [];

    /// <summary>Every answered request of these groups' clients: <see cref="Responses"/> is the same on each group of one client, so it counts once per client.</summary>
    public static long Answered(IEnumerable<HttpErrorGroup> groups) => groups.GroupBy(g => g.Client).Sum(c => c.First().Responses);

    /// <summary>The groups' statuses, each with its count and first and last time, the most frequent first.</summary>
    public static List<(int Status, long Count, long First, long Last)> ByStatus(IEnumerable<HttpErrorGroup> groups) =>
        groups.GroupBy(g => g.Status)
            .Select(s => (Status: s.Key, Count: s.Sum(g => g.Count), First: s.Min(g => g.FirstTimeNs), Last: s.Max(g => g.LastTimeNs)))
            .OrderByDescending(s => s.Count).ThenBy(s => s.Status).ToList();
}
