using System.Net;

namespace KubeTriage.Node.Live;

/// <summary>
/// What a live capture on the node shows about pod egress: per captured interface the packets from and to the
/// pods, next to the node's own view of its interfaces (addresses, subnets, which veth is whose) from ip -j.
/// </summary>
public sealed record CapturedEgressEvidence(NodeEvidence Node, IReadOnlyList<IPAddress> PodIps, IReadOnlyList<CapturedInterface> Interfaces);
