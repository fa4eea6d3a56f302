using KubeTriage.Capture.Flows;
using KubeTriage.Capture.Primitives;

namespace KubeTriage.Wire;

/// <summary>
/// Every TCP connection one client address opened to one server address and port, counted by outcome.
/// Failed opens keep their SYN times, the interfaces their SYNs were seen on, and the first few connections
/// as examples (with frame numbers) so a finding can cite packets; data segments sent again are counted per
/// direction, with the first connections that had them.
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

    public long DataRetransmissions => DataRetransmissionsToServer + DataRetransmissionsToClient;

    public long Failed => NoReply + Refused;

    public long Total => Established + NoReply + Refused + Other;
}
