namespace KubeTriage.Capture.Protocols;

/// <summary>Limits and timeouts of the application dissectors. Times are capture time, not wall time.</summary>
public sealed record ProtocolOptions
{
    public static ProtocolOptions Default { get; } = new();

    /// <summary>A DNS query with no answer this long after its last send is reported as unanswered.</summary>
    public long DnsTimeoutNs { get; init; } = 5_000_000_000;

    /// <summary>
    /// The same query (same endpoints, id, name and type) sent again within this window is the same
    /// packet seen twice (<c>tcpdump -i any</c> on a forwarding node), not a retransmission: resolver
    /// retry timers are a second or more.
    /// </summary>
    public long DnsDuplicateWindowNs { get; init; } = 5_000_000;

    /// <summary>
    /// A question (client address, server, name, type) asked again from a new source port or with a new id
    /// within this time of its last unanswered send is the client re-sending it, not a new lookup. Resolvers
    /// re-send after 5 s or less by default (glibc <c>timeout:5</c>, Go and dig 5 s, musl 2.5 s); a lookup the
    /// app starts again after its resolver gave up (glibc: after 10 s) is not a re-send. Re-sends of a resolver
    /// configured with a longer timeout count as new lookups.
    /// </summary>
    public long DnsResendWindowNs { get; init; } = 6_000_000_000;

    /// <summary>
    /// An A and an AAAA query for one name from one source port within this time are one parallel lookup
    /// (glibc and musl send both at once over one UDP socket).
    /// </summary>
    public long DnsTwinWindowNs { get; init; } = 20_000_000;

    /// <summary>Questions remembered at once to pair re-sends from a new socket with their first send.</summary>
    public int MaxDnsQuestions { get; init; } = 100_000;

    /// <summary>SQL text longer than this many UTF-8 bytes is cut (with an ellipsis) when reported.</summary>
    public int MaxQueryBytes { get; init; } = 4096;

    /// <summary>HTTP request targets longer than this are cut when reported.</summary>
    public int MaxPathBytes { get; init; } = 1024;

    /// <summary>An HTTP request or status line plus headers larger than this stops the connection's dissection.</summary>
    public int MaxHttpHeaderBytes { get; init; } = 64 * 1024;

    /// <summary>More header fields than this in one HTTP message stop the connection's dissection.</summary>
    public int MaxHttpHeaders { get; init; } = 256;

    /// <summary>Commands or requests waiting for an answer on one connection before the oldest is given up.</summary>
    public int MaxPendingPerConnection { get; init; } = 64;
}
