using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Protocols.Dns;

/// <summary>
/// One DNS query matched with its response (or with none). <see cref="Rcode"/> and
/// <see cref="ResponseTimeNs"/> are null when no response came.
/// Over UDP a query is identified by (client endpoint, server endpoint, id, name, type): the same
/// query sent again to the same server before an answer counts in <see cref="Retransmissions"/> and
/// <see cref="QueryTimeNs"/> stays the first send, so the latency is what the client waited; the same
/// query sent to another resolver is another transaction. Unanswered queries are reported once, when
/// <c>ProtocolOptions.DnsTimeoutNs</c> of capture time has passed since their last send, or at the end.
/// A client that re-sends from a new source port or with a new id (or re-sends after that timeout) makes a
/// new transaction; when the earlier one was still unanswered, <see cref="Earlier"/> says when the question
/// was first sent, so <see cref="WaitNs"/> is still what the client waited.
/// </summary>
public sealed record DnsTransaction(
    long QueryTimeNs,
    WireEndpoint Client,
    WireEndpoint Server,
    bool OverTcp,
    ushort Id,
    string Name,
    ushort QueryType,
    int? Rcode,
    IReadOnlyList<DnsAnswer> Answers,
    long? ResponseTimeNs,
    int Retransmissions,
    long QueryFrame,
    string File,
    long? ResponseFrame = null,
    /// <summary>The response had the TC bit: the client should retry over TCP.</summary>
    bool Truncated = false,
    /// <summary>When <see cref="Retransmissions"/> is above 0, the time of the last re-send; otherwise null.</summary>
    long? LastQueryTimeNs = null,
    /// <summary>
    /// An A or AAAA query sent from the same source port to the same server right after (or before) the query
    /// for the name's other address type: the parallel lookup of glibc and musl over one UDP socket.
    /// </summary>
    bool SentWithTwin = false,
    /// <summary>The same question asked before by this client address, still unanswered when this query was sent.</summary>
    DnsEarlierQuery? Earlier = null)
{
    public double? LatencySeconds => ResponseTimeNs is { } r ? (r - QueryTimeNs) / 1e9 : null;

    /// <summary>When the question was first sent: by an <see cref="Earlier"/> query, or by this one.</summary>
    public long FirstSentNs => Earlier?.TimeNs ?? QueryTimeNs;

    /// <summary>When the question was last sent before the answer.</summary>
    public long LastSentNs => LastQueryTimeNs ?? QueryTimeNs;

    /// <summary>How often the question was sent again before it was answered (here and by earlier queries).</summary>
    public int Resends => Retransmissions + (Earlier?.Sends ?? 0);

    /// <summary>From the first send of the question to its answer: what the client waited; null without an answer.</summary>
    public long? WaitNs => ResponseTimeNs is { } r ? r - FirstSentNs : null;
}

/// <summary>
/// One answer record. <see cref="Data"/> is the presentation text: A/AAAA an address, CNAME/PTR/NS a
/// name, MX "preference exchange", SRV "priority weight port target", SOA its seven fields, TXT quoted
/// strings, other types the RFC 3597 generic form <c>\# length hex</c>.
/// </summary>
public sealed record DnsAnswer(string Name, ushort Type, uint Ttl, string Data);
