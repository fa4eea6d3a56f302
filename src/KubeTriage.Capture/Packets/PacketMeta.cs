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
    /// <summary>Transport payload bytes (after TCP/UDP header), as long as on the wire (the capture may hold fewer).</summary>
    public int PayloadLength { get; init; }
    /// <summary>True for any IP fragment; only the first fragment carries ports.</summary>
    public bool IsFragment { get; init; }
    /// <summary>ICMP/ICMPv6 type and code (0 for other protocols).</summary>
    public byte IcmpType { get; init; }
    public byte IcmpCode { get; init; }
    /// <summary>The MTU an ICMP "fragmentation needed" or ICMPv6 "packet too big" names (0 otherwise).</summary>
    public uint IcmpMtu { get; init; }
    /// <summary>
    /// For ICMP errors (unreachable, time exceeded, …): the protocol and endpoints of the packet the error
    /// is about, read from the embedded original header; <see cref="EmbeddedProtocol"/> is null otherwise.
    /// </summary>
    public IpProtocol? EmbeddedProtocol { get; init; }
    public WireEndpoint EmbeddedSource { get; init; }
    public WireEndpoint EmbeddedDestination { get; init; }
    /// <summary>TCP sequence and acknowledgment numbers and window (0 for other protocols).</summary>
    public uint TcpSequence { get; init; }
    public uint TcpAcknowledgment { get; init; }
    public ushort TcpWindow { get; init; }
}
