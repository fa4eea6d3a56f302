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
    bool Truncated = false)
{
    public double? LatencySeconds => ResponseTimeNs is { } r ? (r - QueryTimeNs) / 1e9 : null;
}

/// <summary>
/// One answer record. <see cref="Data"/> is the presentation text: A/AAAA an address, CNAME/PTR/NS a
/// name, MX "preference exchange", SRV "priority weight port target", SOA its seven fields, TXT quoted
/// strings, other types the RFC 3597 generic form <c>\# length hex</c>.
/// </summary>
public sealed record DnsAnswer(string Name, ushort Type, uint Ttl, string Data);
