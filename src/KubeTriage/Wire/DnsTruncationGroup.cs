using KubeTriage.Capture.Primitives;
using KubeTriage.Capture.Protocols.Dns;

namespace KubeTriage.Wire;

/// <summary>
/// Truncated DNS answers over UDP (the TC bit: the answer did not fit, ask again over TCP) that one server gave one
/// client for one name and type, and what the client did next: the questions it asked over TCP for that name and type
/// after the first truncated answer, and how many of those got an answer.
/// </summary>
public sealed record DnsTruncationGroup
{
    public required NetAddress Client { get; init; }

    public required NetAddress Server { get; init; }

    public required string Name { get; init; }

    public required ushort QueryType { get; init; }

    /// <summary>Truncated answers over UDP.</summary>
    public long Truncated { get; init; }

    public long FirstTimeNs { get; init; }

    public long LastTimeNs { get; init; }

    /// <summary>Questions for the same name and type the client asked over TCP (any server) after the first truncated answer.</summary>
    public long AskedOverTcp { get; init; }

    /// <summary>Of those, the ones answered.</summary>
    public long AnsweredOverTcp { get; init; }

    /// <summary>The first truncated answers, in time order.</summary>
    public IReadOnlyList<DnsTransaction> Examples { get; init; } = [];

    /// <summary>The client got no answer over TCP after a truncated one: it did not ask, or its questions went unanswered.</summary>
    public bool Unresolved => AnsweredOverTcp == 0;
}
