namespace KubeTriage.Node.Live;

/// <summary>
/// One interface of a live capture: the node's name for it (for <c>any</c>, resolved from the cooked v2 interface
/// index), the name the capture gave it, and the packets seen from and to the pods.
/// </summary>
public sealed record CapturedInterface(string Name, string CaptureName, long Packets, long FromPodPackets, long ToPodPackets);
