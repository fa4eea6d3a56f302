using KubeTriage.Capture.Flows;
using KubeTriage.Capture.Primitives;

namespace KubeTriage.Wire;

/// <summary>
/// Every TCP connection one client address opened to one server address and port, counted by outcome.
/// Failed opens keep their SYN times, the interfaces their SYNs were seen on, and the first few connections
/// as examples (with frame numbers) so a finding can cite packets; data segments sent again are counted per
/// direction, with the first connections that had them; connections the server reset while the client's request
/// waited for its answer are counted by shape (a RST while waiting, or a RST answering a request sent after the
/// server's FIN), with a few of each as examples.
/// </summary>
public sealed record TcpConnectGroup
{
    public required NetAddress Client { get; init; }

    public required WireEndpoint Server { get; init; }

    public long Established { get; init; }

    public long NoReply { get; init; }

    public long Refused { get; init; }

    /// <summary>Connections the capture joined mid-stream or mid-handshake.</summary>
    public long Other { get; init; }

    /// <summary>SYNs sent on connections that failed (no reply or refused).</summary>
    public long FailedSynAttempts { get; init; }

    public long? FirstFailedSynNs { get; init; }

    public long? LastFailedSynNs { get; init; }

    /// <summary>Interfaces the failed connections' packets were seen on.</summary>
    public IReadOnlyList<int> FailedInterfaceIds { get; init; } = [];

    /// <summary>The first failed connections, in time order (at most a handful).</summary>
    public IReadOnlyList<TcpConnection> FailedExamples { get; init; } = [];

    /// <summary>Data segments the client sent, and how many of them it sent again.</summary>
    public long DataSegmentsToServer { get; init; }

    public long DataRetransmissionsToServer { get; init; }

    /// <summary>Data segments the server sent, and how many of them it sent again.</summary>
    public long DataSegmentsToClient { get; init; }

    public long DataRetransmissionsToClient { get; init; }

    /// <summary>Connections with at least one data segment sent again.</summary>
    public long RetransmittingConnections { get; init; }

    public long? FirstDataRetransmissionNs { get; init; }

    public long? LastDataRetransmissionNs { get; init; }

    /// <summary>The first connections with data sent again, in time order (at most a handful).</summary>
    public IReadOnlyList<TcpConnection> RetransmissionExamples { get; init; } = [];

    /// <summary>A client that gave up on a request sooner than this after sending it is not counted in <see cref="Abandoned"/>.</summary>
    public const long MinAbandonedWaitNs = TcpConnectionExtras.MinAbandonedWaitNs;

    /// <summary>
    /// Connections whose client closed or reset them while its request waited for an answer, after waiting at least
    /// <see cref="MinAbandonedWaitNs"/>: it gave up (its timeout). Only requests a dissector saw waiting for an answer
    /// count (data of an unknown protocol may expect none); a MySQL COM_QUIT is the client closing, not one.
    /// </summary>
    public long Abandoned { get; init; }

    /// <summary>Those waits, from the request to the client's FIN or RST, added up, and the longest.</summary>
    public long AbandonedWaitTotalNs { get; init; }

    public long AbandonedWaitMaxNs { get; init; }

    /// <summary>The first such connections with the request the dissector saw waiting (at most a handful).</summary>
    public IReadOnlyList<TcpResetExample> AbandonedExamples { get; init; } = [];

    /// <summary>When the first and the last of these connections began (their first packet).</summary>
    public long FirstOpenNs { get; init; }

    public long LastOpenNs { get; init; }

    /// <summary>Request/response turns over all these connections (client data answered by server data).</summary>
    public long Turns { get; init; }

    /// <summary>The connections' lifetimes (first to last packet) added up.</summary>
    public long LifetimeTotalNs { get; init; }

    /// <summary>Established connections whose server spoke first (a greeting) half a second or more after its SYN-ACK.</summary>
    public long SlowGreetings { get; init; }

    /// <summary>Those connections' waits for the greeting, from the SYN-ACK, added up, and the longest.</summary>
    public long GreetingDelayTotalNs { get; init; }

    public long GreetingDelayMaxNs { get; init; }

    /// <summary>The first such connections, in time order (at most a handful).</summary>
    public IReadOnlyList<TcpConnection> SlowGreetingExamples { get; init; } = [];

    /// <summary>
    /// Established connections whose client sent its SYN more than once before the handshake completed: each connect
    /// waited a retransmission timeout (1 s on Linux, then 2 s, 4 s) or more.
    /// </summary>
    public long RetriedConnects { get; init; }

    /// <summary>Of those, the ones whose client sent a SYN again after the capture had seen the SYN-ACK: it did not reach the client.</summary>
    public long SynAckLost { get; init; }

    /// <summary>The time those connects lost, from the first SYN to the SYN-ACK (or the last SYN, when later), added up, and the longest.</summary>
    public long RetryDelayTotalNs { get; init; }

    public long RetryDelayMaxNs { get; init; }

    /// <summary>The first such connections, in time order (at most a handful).</summary>
    public IReadOnlyList<TcpConnection> RetriedExamples { get; init; } = [];

    /// <summary>
    /// Established connections on which one segment of the client's was sent again and again and never got through
    /// while smaller ones did (<see cref="TcpStalledSegment.LooksLikeBlackHole"/>): a path-MTU black hole towards the server.
    /// </summary>
    public long BlackHoleToServer { get; init; }

    /// <summary>The same for the server's segments: a path-MTU black hole towards the client.</summary>
    public long BlackHoleToClient { get; init; }

    /// <summary>The first connections with such a segment, either way, in time order (at most a handful).</summary>
    public IReadOnlyList<TcpConnection> BlackHoleExamples { get; init; } = [];

    /// <summary>Established (or mid-stream) connections on which the client sent data: the ones that carried a request.</summary>
    public long RequestConnections { get; init; }

    /// <summary>Connections the server reset while the client's request was unanswered, its half still open.</summary>
    public long ResetWhileWaiting { get; init; }

    /// <summary>Connections the server had closed (FIN) and then reset when the client sent a request on them.</summary>
    public long ResetAfterClose { get; init; }

    public long? FirstMidRequestResetNs { get; init; }

    public long? LastMidRequestResetNs { get; init; }

    /// <summary>Over the <see cref="ResetAfterClose"/> connections: the shortest and longest time without data before the server's FIN.</summary>
    public long? ShortestIdleAtCloseNs { get; init; }

    public long? LongestIdleAtCloseNs { get; init; }

    /// <summary>The first few connections of each shape, in the order of their resets.</summary>
    public IReadOnlyList<TcpResetExample> ResetExamples { get; init; } = [];

    /// <summary>Connections reset by the server while the client waited for an answer, both shapes.</summary>
    public long ResetMidRequest => ResetWhileWaiting + ResetAfterClose;

    public long DataRetransmissions => DataRetransmissionsToServer + DataRetransmissionsToClient;

    public long Failed => NoReply + Refused;

    public long Total => Established + NoReply + Refused + Other;
}
