using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Packets;

/// <summary>
/// Everything the decoders learn from one frame, as offsets into the frame and plain values, so one
/// instance is reused for every packet. <see cref="PayloadLength"/> is the transport payload on the
/// wire (from the IP and UDP lengths); <see cref="PayloadCaptured"/> is how much of it the capture kept.
/// </summary>
internal struct DecodedPacket
{
    public int LinkInterfaceIndex;
    /// <summary>The overlay the packet was taken out of (the fields describe the inner packet), or none.</summary>
    public TunnelKind Tunnel;
    public NetAddress Source;
    public NetAddress Destination;
    public byte Protocol;
    public int IpOffset;
    public int IpCapturedLength;
    public bool IsFragment;
    public bool IsFirstFragment;
    public bool HasTransport;
    /// <summary>Fragment identification, byte offset, more-fragments flag, and where this fragment's data sits in the frame.</summary>
    public uint FragmentId;
    public int FragmentOffset;
    public bool MoreFragments;
    public byte FragmentProtocol;
    public int FragmentDataOffset;
    public int FragmentDataLength;
    public int FragmentWireLength;
    public ushort SourcePort;
    public ushort DestinationPort;
    public uint Sequence;
    public uint Acknowledgment;
    public TcpFlags Flags;
    public ushort Window;
    public ushort UdpChecksum;
    public int PayloadOffset;
    public int PayloadCaptured;
    public int PayloadLength;
    public byte IcmpType;
    public byte IcmpCode;
    /// <summary>The next-hop MTU of an ICMPv4 "fragmentation needed" or an ICMPv6 "packet too big"; 0 otherwise.</summary>
    public uint IcmpMtu;
    public bool HasEmbedded;
    public byte EmbeddedProtocol;
    public NetAddress EmbeddedSource;
    public NetAddress EmbeddedDestination;
    public ushort EmbeddedSourcePort;
    public ushort EmbeddedDestinationPort;

    /// <summary>The transport payload bytes the capture kept.</summary>
    public readonly ReadOnlySpan<byte> Payload(ReadOnlySpan<byte> frame) => frame.Slice(PayloadOffset, PayloadCaptured);

    /// <summary>True when the capture cut the transport payload short (snap length).</summary>
    public readonly bool PayloadCut => PayloadCaptured < PayloadLength;
}
