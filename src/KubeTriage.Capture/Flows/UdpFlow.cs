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
    IReadOnlyList<int> InterfaceIds)
{
    /// <summary>Datagrams seen a second time on another interface of the node: counted and dissected once.</summary>
    public int DuplicatesOnOtherInterface { get; init; }

    /// <summary>The 1-based frame number, in <see cref="File"/>, of the flow's first datagram.</summary>
    public long FirstFrame { get; init; }

    /// <summary>The capture file the flow's first datagram came from.</summary>
    public string File { get; init; } = string.Empty;
}
