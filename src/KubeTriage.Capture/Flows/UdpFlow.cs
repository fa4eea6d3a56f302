using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Flows;

/// <summary>
/// One UDP flow (a 5-tuple). Client is the side that sent first.
/// </summary>
public sealed record UdpFlow(
    WireEndpoint Client,
    WireEndpoint Server,
    long FirstTimeNs,
    long LastTimeNs,
    long PacketsToServer,
    long PacketsToClient,
    long BytesToServer,
    long BytesToClient,
    string? Protocol,
    IReadOnlyList<int> InterfaceIds);
