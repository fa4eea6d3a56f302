using KubeTriage.Capture.Primitives;

namespace KubeTriage.Wire;

/// <summary>
/// Connections the capture saw twice, before and after destination NAT on the node: addressed to
/// <see cref="Service"/> (a Kubernetes Service's ClusterIP, a NodePort) and delivered to <see cref="Backend"/>.
/// Told by the client's address, port and initial sequence number, which DNAT leaves as they are.
/// </summary>
public sealed record NatTranslation(WireEndpoint Service, WireEndpoint Backend, long Connections);
