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
    IReadOnlyList<int> InterfaceIds);
