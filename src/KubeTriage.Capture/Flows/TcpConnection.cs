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

    /// <summary>Segments with payload the client sent again (lost or reordered on the way); repeated SYNs and FINs are not counted here.</summary>
    public int DataRetransmissionsToServer { get; init; }

    /// <summary>Segments with payload the server sent again.</summary>
    public int DataRetransmissionsToClient { get; init; }

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

    /// <summary>The capture file the connection's first packet came from.</summary>
    public string File { get; init; } = string.Empty;
}
