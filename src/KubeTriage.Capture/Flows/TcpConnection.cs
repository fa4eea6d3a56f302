using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Flows;

/// <summary>
/// One TCP connection as the capture saw it, reported when it closes or when the capture ends.
/// Client is the side that sent the first SYN (or, mid-stream, the side with the higher port).
/// </summary>
public sealed record TcpConnection(
    WireEndpoint Client,
    WireEndpoint Server,
    TcpOutcome Outcome,
    long FirstTimeNs,
    long LastTimeNs,
    long FirstFrame,
    int SynAttempts,
    IReadOnlyList<long> SynTimesNs,
    long? HandshakeRttNs,
    long PacketsToServer,
    long PacketsToClient,
    long BytesToServer,
    long BytesToClient,
    int Retransmissions,
    int Resets,
    bool ClosedByFin,
    /// <summary>Sum over request/response turns of the time from the client's last byte to the server's first byte.</summary>
    long ServerWaitNs,
    /// <summary>Application protocol the engine recognised on this connection (dns, mysql, http, tls), if any.</summary>
    string? Protocol,
    IReadOnlyList<int> InterfaceIds)
{
    private TcpConnectionExtras? _extras;

    /// <summary>Packets seen a second time on another interface of the node (veth and NIC): counted once, not as retransmissions.</summary>
    public int DuplicatesOnOtherInterface { get; init; }

    /// <summary>
    /// The sequence number of the client's SYN, when it was captured. Address translation on the node keeps it,
    /// so the same connection seen before and after DNAT (a Service address, then its backend) carries the same one.
    /// </summary>
    public uint? ClientInitialSequence { get; init; }

    /// <summary>Holes in the byte stream the dissector was told about (lost segments, snap-length cuts, buffer overflow).</summary>
    public int Gaps { get; init; }

    /// <summary>Client-to-server data turns answered by server data; <see cref="ServerWaitNs"/> sums their waits.</summary>
    public int ServerTurns { get; init; }

    /// <summary>Segments that advertised a zero receive window (the receiver stalled the sender).</summary>
    public int ZeroWindowSegments { get; init; }

    /// <summary>Segments with payload the client sent (retransmissions included).</summary>
    public long DataSegmentsToServer { get; init; }

    /// <summary>Segments with payload the server sent (retransmissions included).</summary>
    public long DataSegmentsToClient { get; init; }

    /// <summary>
    /// What only some connections have (data sent again, zero windows, a reset): one shared empty instance for the
    /// rest, so a clean connection's record stays small. The properties below read and set it.
    /// </summary>
    public TcpConnectionExtras Extras
    {
        get => _extras ?? TcpConnectionExtras.None;
        init => _extras = value;
    }

    /// <summary>Segments with payload the client sent again (lost or reordered on the way); repeated SYNs and FINs are not counted here.</summary>
    public int DataRetransmissionsToServer
    {
        get => Extras.DataRetransmissionsToServer;
        init => Extras = Extras with { DataRetransmissionsToServer = value };
    }

    /// <summary>Segments with payload the server sent again.</summary>
    public int DataRetransmissionsToClient
    {
        get => Extras.DataRetransmissionsToClient;
        init => Extras = Extras with { DataRetransmissionsToClient = value };
    }

    /// <summary>When the first data segment was sent again (either direction), or null when none was.</summary>
    public long? FirstDataRetransmissionNs
    {
        get => Extras.FirstDataRetransmissionNs;
        init => Extras = Extras with { FirstDataRetransmissionNs = value };
    }

    /// <summary>The frame of that first retransmitted segment.</summary>
    public long FirstDataRetransmissionFrame
    {
        get => Extras.FirstDataRetransmissionFrame;
        init => Extras = Extras with { FirstDataRetransmissionFrame = value };
    }

    /// <summary>When the last data segment was sent again, or null.</summary>
    public long? LastDataRetransmissionNs
    {
        get => Extras.LastDataRetransmissionNs;
        init => Extras = Extras with { LastDataRetransmissionNs = value };
    }

    /// <summary>When the first SYN-ACK was seen, on a connection whose client sent its SYN more than once; otherwise null.</summary>
    public long? SynAckNs
    {
        get => Extras.SynAckNs;
        init => Extras = Extras with { SynAckNs = value };
    }

    /// <summary>When the client closed or reset the connection while its request waited for an answer (it gave up); otherwise null.</summary>
    public long? ClientGaveUpNs
    {
        get => Extras.ClientGaveUpNs;
        init => Extras = Extras with { ClientGaveUpNs = value };
    }

    /// <summary>The frame of the client's FIN or RST that gave up.</summary>
    public long ClientGaveUpFrame
    {
        get => Extras.ClientGaveUpFrame;
        init => Extras = Extras with { ClientGaveUpFrame = value };
    }

    /// <summary>True when the client gave up with a RST.</summary>
    public bool ClientGaveUpByReset
    {
        get => Extras.ClientGaveUpByReset;
        init => Extras = Extras with { ClientGaveUpByReset = value };
    }

    /// <summary>When the request the client gave up on began; otherwise null.</summary>
    public long? AbandonedRequestNs
    {
        get => Extras.AbandonedRequestNs;
        init => Extras = Extras with { AbandonedRequestNs = value };
    }

    /// <summary>The frame of that request's first segment.</summary>
    public long AbandonedRequestFrame
    {
        get => Extras.AbandonedRequestFrame;
        init => Extras = Extras with { AbandonedRequestFrame = value };
    }

    /// <summary>How long after its SYN-ACK a server that speaks first sent its greeting, when that took half a second or more; otherwise null.</summary>
    public long? GreetingDelayNs
    {
        get => Extras.GreetingDelayNs;
        init => Extras = Extras with { GreetingDelayNs = value };
    }

    /// <summary>When that late greeting came; otherwise null.</summary>
    public long? GreetingNs
    {
        get => Extras.GreetingNs;
        init => Extras = Extras with { GreetingNs = value };
    }

    /// <summary>The frame of that late greeting.</summary>
    public long GreetingFrame
    {
        get => Extras.GreetingFrame;
        init => Extras = Extras with { GreetingFrame = value };
    }

    /// <summary>The client's segment sent again most often at one sequence number (three times or more), or null.</summary>
    public TcpStalledSegment? StalledToServer
    {
        get => Extras.StalledToServer;
        init => Extras = Extras with { StalledToServer = value };
    }

    /// <summary>The server's segment sent again most often at one sequence number (three times or more), or null.</summary>
    public TcpStalledSegment? StalledToClient
    {
        get => Extras.StalledToClient;
        init => Extras = Extras with { StalledToClient = value };
    }

    /// <summary>The zero windows the client advertised: the client stopped reading and stalled the server's sending.</summary>
    public TcpZeroWindow ClientZeroWindow
    {
        get => Extras.ClientZeroWindow;
        init => Extras = Extras with { ClientZeroWindow = value };
    }

    /// <summary>The zero windows the server advertised: the server stopped reading and stalled the client's sending.</summary>
    public TcpZeroWindow ServerZeroWindow
    {
        get => Extras.ServerZeroWindow;
        init => Extras = Extras with { ServerZeroWindow = value };
    }

    /// <summary>When the first RST of the connection was seen, or null when none was.</summary>
    public long? FirstResetNs
    {
        get => Extras.FirstResetNs;
        init => Extras = Extras with { FirstResetNs = value };
    }

    /// <summary>The frame of that first RST.</summary>
    public long FirstResetFrame
    {
        get => Extras.FirstResetFrame;
        init => Extras = Extras with { FirstResetFrame = value };
    }

    /// <summary>True when the server sent the first RST; false when the client did (or there was none).</summary>
    public bool FirstResetByServer
    {
        get => Extras.FirstResetByServer;
        init => Extras = Extras with { FirstResetByServer = value };
    }

    /// <summary>
    /// True when the client's data was unanswered at the first RST: it had sent new data after the server's last data
    /// (a request waiting for its answer). A TLS close alert sent last does not count: that is the client closing.
    /// </summary>
    public bool ResetWithRequestOutstanding
    {
        get => Extras.ResetWithRequestOutstanding;
        init => Extras = Extras with { ResetWithRequestOutstanding = value };
    }

    /// <summary>True when the server had closed its half with a FIN before the first RST.</summary>
    public bool ServerClosedBeforeReset
    {
        get => Extras.ServerClosedBeforeReset;
        init => Extras = Extras with { ServerClosedBeforeReset = value };
    }

    /// <summary>When the unanswered client data began (its first segment), when <see cref="ResetWithRequestOutstanding"/>.</summary>
    public long? OutstandingRequestNs
    {
        get => Extras.OutstandingRequestNs;
        init => Extras = Extras with { OutstandingRequestNs = value };
    }

    /// <summary>The frame of the unanswered data's first segment.</summary>
    public long OutstandingRequestFrame
    {
        get => Extras.OutstandingRequestFrame;
        init => Extras = Extras with { OutstandingRequestFrame = value };
    }

    /// <summary>
    /// How long the connection carried no data (either way) before that unanswered data: from the last data segment
    /// before it, or from the connection's first packet when there was none.
    /// </summary>
    public long? IdleBeforeRequestNs
    {
        get => Extras.IdleBeforeRequestNs;
        init => Extras = Extras with { IdleBeforeRequestNs = value };
    }

    /// <summary>When the server first sent a FIN, on a connection that saw a RST or that the server closed first without sending data; otherwise null.</summary>
    public long? ServerFinNs
    {
        get => Extras.ServerFinNs;
        init => Extras = Extras with { ServerFinNs = value };
    }

    /// <summary>The frame of that FIN.</summary>
    public long ServerFinFrame
    {
        get => Extras.ServerFinFrame;
        init => Extras = Extras with { ServerFinFrame = value };
    }

    /// <summary>True when the server sent its FIN before the client's (known only on connections with extras).</summary>
    public bool ServerClosedFirst
    {
        get => Extras.ServerClosedFirst;
        init => Extras = Extras with { ServerClosedFirst = value };
    }

    /// <summary>
    /// The server ended the connection with a RST while the client waited for an answer: either a RST with the request
    /// outstanding, or a RST answering data the client sent after the server had already closed (FIN).
    /// </summary>
    public bool ServerResetMidRequest => FirstResetByServer && ResetWithRequestOutstanding;

    /// <summary>The capture file the connection's first packet came from.</summary>
    public string File { get; init; } = string.Empty;
}
