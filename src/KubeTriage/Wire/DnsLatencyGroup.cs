using KubeTriage.Capture.Primitives;
using KubeTriage.Capture.Protocols.Dns;

namespace KubeTriage.Wire;

/// <summary>
/// How long one server took to answer one client's DNS questions, counted over every answered query of the
/// capture (not only the records kept). A question's wait runs from its first send to the answer, so a query the
/// client had to send again (the same query re-sent, or the question asked again from a new port or with a new
/// id, see <see cref="DnsTransaction.Earlier"/>) counts the whole time the client waited. Late answers are those
/// that waited at least <see cref="CaptureEvidence.SlowDnsNs"/>; queries never answered are not counted here.
/// </summary>
public sealed record DnsLatencyGroup
{
    public required NetAddress Client { get; init; }

    public required NetAddress Server { get; init; }

    public long Answered { get; init; }

    /// <summary>Answered queries the client had sent more than once.</summary>
    public long Resent { get; init; }

    public long MedianNs { get; init; }

    public long P99Ns { get; init; }

    public long MaxNs { get; init; }

    /// <summary>Answers that came at least the slow threshold after the question's first send.</summary>
    public long Late { get; init; }

    /// <summary>The shortest wait among the late answers.</summary>
    public long LateMinNs { get; init; }

    /// <summary>Late answers that came only after the client sent the question again.</summary>
    public long LateResent { get; init; }

    /// <summary>Late answers that came soon (within the slow threshold) after the client's last re-send: the earlier copy or its answer was lost.</summary>
    public long LateAnsweredAfterResend { get; init; }

    /// <summary>Late answers to a question re-asked from a new port, with a new id, or after the first copy was given up.</summary>
    public long LateReasked { get; init; }

    /// <summary>The earlier queries of those (each one a transaction without an answer, as <c>dns.no-response</c> counts them).</summary>
    public long LateEarlierQueries { get; init; }

    /// <summary>Late answers whose question first went out with the name's other address query (A and AAAA) from one source port.</summary>
    public long LateTwins { get; init; }

    public long LateA { get; init; }

    public long LateAaaa { get; init; }

    /// <summary>The shortest and longest mean time between sends of a late, re-sent question (0 when none was re-sent).</summary>
    public long ResendIntervalMinNs { get; init; }

    public long ResendIntervalMaxNs { get; init; }

    /// <summary>The longest time from a late question's last re-send to its answer.</summary>
    public long AfterResendMaxNs { get; init; }

    public long FirstLateNs { get; init; }

    public long LastLateNs { get; init; }

    /// <summary>The earliest late answers, in time order.</summary>
    public IReadOnlyList<DnsTransaction> Examples { get; init; } = [];
}
