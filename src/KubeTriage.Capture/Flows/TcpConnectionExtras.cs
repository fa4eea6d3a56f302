namespace KubeTriage.Capture.Flows;

/// <summary>
/// The parts of a <see cref="TcpConnection"/> that only some connections have: data segments sent again (and the one
/// sent again most often), zero receive windows, a reset and what it interrupted, a SYN sent again, a server that closed
/// first without sending data, a late greeting, a request the client gave up on. Held apart so that the many clean connections share <see cref="None"/> instead of each
/// carrying these fields.
/// </summary>
public sealed record TcpConnectionExtras
{
    public static TcpConnectionExtras None { get; } = new();

    /// <summary>A client that closes or resets its connection sooner than this after an unanswered request has not given up on it (a MySQL COM_QUIT, a half-close).</summary>
    public const long MinAbandonedWaitNs = 1_000_000_000;

    /// <summary>Segments with payload the client sent again (lost or reordered on the way); repeated SYNs and FINs are not counted here.</summary>
    public int DataRetransmissionsToServer { get; init; }

    /// <summary>Segments with payload the server sent again.</summary>
    public int DataRetransmissionsToClient { get; init; }

    /// <summary>The client's segment sent again most often at one sequence number (three times or more), or null.</summary>
    public TcpStalledSegment? StalledToServer { get; init; }

    /// <summary>The server's segment sent again most often at one sequence number (three times or more), or null.</summary>
    public TcpStalledSegment? StalledToClient { get; init; }

    /// <summary>When the first data segment was sent again (either direction), or null when none was.</summary>
    public long? FirstDataRetransmissionNs { get; init; }

    /// <summary>The frame of that first retransmitted segment.</summary>
    public long FirstDataRetransmissionFrame { get; init; }

    /// <summary>When the last data segment was sent again, or null.</summary>
    public long? LastDataRetransmissionNs { get; init; }

    /// <summary>The zero windows the client advertised: the client stopped reading and stalled the server's sending.</summary>
    public TcpZeroWindow ClientZeroWindow { get; init; }

    /// <summary>The zero windows the server advertised: the server stopped reading and stalled the client's sending.</summary>
    public TcpZeroWindow ServerZeroWindow { get; init; }

    /// <summary>
    /// When the first SYN-ACK was seen, on a connection whose client sent its SYN more than once (otherwise null): the
    /// connect took from the first SYN to it, and a SYN sent after it means the SYN-ACK did not reach the client.
    /// </summary>
    public long? SynAckNs { get; init; }

    /// <summary>
    /// How long after its SYN-ACK the server sent its first data, when it spoke first (a greeting: MySQL, SMTP, SSH) and
    /// took half a second or more; otherwise null.
    /// </summary>
    public long? GreetingDelayNs { get; init; }

    /// <summary>When that greeting came, and its frame.</summary>
    public long? GreetingNs { get; init; }

    public long GreetingFrame { get; init; }

    /// <summary>
    /// When the client closed (FIN) or reset the connection while its request waited for an answer, <see cref="MinAbandonedWaitNs"/>
    /// or more after sending it, and no answer came after: it gave up (its timeout). Null otherwise.
    /// </summary>
    public long? ClientGaveUpNs { get; init; }

    /// <summary>The frame of that FIN or RST.</summary>
    public long ClientGaveUpFrame { get; init; }

    /// <summary>True when the client gave up with a RST, false with a FIN.</summary>
    public bool ClientGaveUpByReset { get; init; }

    /// <summary>When the request the client gave up on began (its first segment), and that frame.</summary>
    public long? AbandonedRequestNs { get; init; }

    public long AbandonedRequestFrame { get; init; }

    /// <summary>When the first RST of the connection was seen, or null when none was.</summary>
    public long? FirstResetNs { get; init; }

    /// <summary>The frame of that first RST.</summary>
    public long FirstResetFrame { get; init; }

    /// <summary>True when the server sent the first RST; false when the client did (or there was none).</summary>
    public bool FirstResetByServer { get; init; }

    /// <summary>
    /// True when the client's data was unanswered at the first RST: it had sent new data after the server's last data
    /// (a request waiting for its answer). A TLS close alert sent last does not count: that is the client closing.
    /// </summary>
    public bool ResetWithRequestOutstanding { get; init; }

    /// <summary>True when the server had closed its half with a FIN before the first RST.</summary>
    public bool ServerClosedBeforeReset { get; init; }

    /// <summary>When the unanswered client data began (its first segment), when <see cref="ResetWithRequestOutstanding"/>.</summary>
    public long? OutstandingRequestNs { get; init; }

    /// <summary>The frame of the unanswered data's first segment.</summary>
    public long OutstandingRequestFrame { get; init; }

    /// <summary>
    /// How long the connection carried no data (either way) before that unanswered data: from the last data segment
    /// before it, or from the connection's first packet when there was none.
    /// </summary>
    public long? IdleBeforeRequestNs { get; init; }

    /// <summary>
    /// When the server first sent a FIN (closed its half), on a connection that saw a RST, or that the server closed
    /// first without sending any data after the client's; otherwise null.
    /// </summary>
    public long? ServerFinNs { get; init; }

    /// <summary>The frame of that FIN.</summary>
    public long ServerFinFrame { get; init; }

    /// <summary>True when the server sent its FIN before the client's (known only on connections with extras).</summary>
    public bool ServerClosedFirst { get; init; }
}
