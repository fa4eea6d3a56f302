using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Packets;

/// <summary>
/// The per-packet facts every consumer needs, passed by reference and never boxed.
/// Ports are 0 for ICMP and other port-less protocols.
/// </summary>
public readonly struct PacketMeta
{
    public long TimeNs { get; init; }
    public long Frame { get; init; }
    public int InterfaceId { get; init; }
    public NetAddress Source { get; init; }
    public NetAddress Destination { get; init; }
    public ushort SourcePort { get; init; }
    public ushort DestinationPort { get; init; }
    public IpProtocol Protocol { get; init; }
    public TcpFlags TcpFlags { get; init; }
    /// <summary>Bytes of the IP packet as captured (header included).</summary>
    public int IpLength { get; init; }
    /// <summary>Transport payload bytes (after TCP/UDP header).</summary>
    public int PayloadLength { get; init; }
}
