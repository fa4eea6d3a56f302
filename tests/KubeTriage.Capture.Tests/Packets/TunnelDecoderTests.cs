using System.Buffers.Binary;
using KubeTriage.Capture.Files;
using KubeTriage.Capture.Packets;
using KubeTriage.Capture.Tests.Support;

namespace KubeTriage.Capture.Tests.Packets;

/// <summary>
/// Overlay packets (VXLAN, Geneve, IP-in-IP, GRE) between two nodes carrying a pod's MySQL segment: the decoder
/// hands on the packet inside, and leaves the outer one when what follows the tunnel port is not a tunnel.
/// </summary>
public class TunnelDecoderTests
{
    private const string NodeA = "198.18.0.10";
    private const string NodeB = "198.18.0.11";
    private static readonly byte[] Query = [5, 0, 0, 0, 3, (byte)'S', (byte)'E', (byte)'L', (byte)'1'];
    private static readonly byte[] InnerIp = FrameBuilder.Ip("198.18.1.20", "198.18.2.20", 6, FrameBuilder.TcpSegment(40000, 3306, TcpFlags.Ack | TcpFlags.Psh, 100, 200, Query));
    private static readonly byte[] InnerFrame = FrameBuilder.Ethernet(InnerIp);

    public static TheoryData<string> Tunnels => new() { "vxlan", "vxlan-8472", "geneve", "ipip", "gre", "gre-key-ethernet" };

    [Theory]
    [MemberData(nameof(Tunnels))]
    public void ThePacketInsideAnOverlayIsDecoded(string tunnel)
    {
        // Given
        var (frame, kind) = Outer(tunnel);
        var packet = default(DecodedPacket);

        // When
        var status = PacketDecoder.Decode(LinkType.Ethernet, frame, ref packet, out _, out _);

        // Then: the pod's segment, with its payload where the dissectors will look for it
        Assert.Equal(PacketStatus.Decoded, status);
        Assert.Equal(kind, packet.Tunnel);
        Assert.Equal(("198.18.1.20", "198.18.2.20"), (packet.Source.ToString(), packet.Destination.ToString()));
        Assert.Equal((40000, 3306), (packet.SourcePort, packet.DestinationPort));
        Assert.Equal((byte)IpProtocol.Tcp, packet.Protocol);
        Assert.Equal(100u, packet.Sequence);
        Assert.True(packet.HasTransport);
        Assert.Equal(Query, packet.Payload(frame).ToArray());
        Assert.Equal(InnerIp.Length, packet.IpCapturedLength);
    }

    [Fact]
    public void ArpInsideVxlanIsNotIp()
    {
        // Given
        var arp = (byte[])InnerFrame.Clone();
        BinaryPrimitives.WriteUInt16BigEndian(arp.AsSpan(12), 0x0806);
        var frame = FrameBuilder.Ethernet(FrameBuilder.Ip(NodeA, NodeB, 17, FrameBuilder.UdpDatagram(51000, 4789, [.. Vxlan(), .. arp])));
        var packet = default(DecodedPacket);

        // When
        var status = PacketDecoder.Decode(LinkType.Ethernet, frame, ref packet, out _, out _);

        // Then
        Assert.Equal(PacketStatus.NotIp, status);
    }

    [Theory]
    [InlineData("flags without the VNI bit")]
    [InlineData("cut inside the inner header")]
    public void ADatagramToATunnelPortThatIsNoTunnelStaysWhatItIs(string what)
    {
        // Given
        byte[] payload = what == "flags without the VNI bit" ? [.. new byte[8], .. InnerFrame] : [.. Vxlan(), .. InnerFrame[..20]];
        var frame = FrameBuilder.Ethernet(FrameBuilder.Ip(NodeA, NodeB, 17, FrameBuilder.UdpDatagram(51000, 4789, payload)));
        var packet = default(DecodedPacket);

        // When
        var status = PacketDecoder.Decode(LinkType.Ethernet, frame, ref packet, out _, out _);

        // Then: the outer UDP datagram
        Assert.Equal(PacketStatus.Decoded, status);
        Assert.Equal(TunnelKind.None, packet.Tunnel);
        Assert.Equal((byte)IpProtocol.Udp, packet.Protocol);
        Assert.Equal((51000, 4789), (packet.SourcePort, packet.DestinationPort));
        Assert.Equal(payload.Length, packet.PayloadLength);
    }

    [Fact]
    public void TunnelsInsideTunnelsStopAtALimit()
    {
        // Given: IP-in-IP nested ten deep around the segment
        var ip = InnerIp;
        for (int i = 0; i < 10; i++)
        {
            ip = FrameBuilder.Ip(NodeA, NodeB, 4, ip);
        }

        var packet = default(DecodedPacket);

        // When
        var status = PacketDecoder.Decode(LinkType.Raw, ip, ref packet, out _, out _);

        // Then: decoded, never deeper than the limit (still an IP-in-IP packet)
        Assert.Equal(PacketStatus.Decoded, status);
        Assert.Equal((byte)IpProtocol.IpInIp, packet.Protocol);
    }

    [Fact]
    public void EveryPrefixOfAVxlanFrameDecodesWithoutThrowing()
    {
        // Given
        var (frame, _) = Outer("vxlan");

        for (int length = 0; length <= frame.Length; length++)
        {
            // When
            var packet = default(DecodedPacket);
            var status = PacketDecoder.Decode(LinkType.Ethernet, frame.AsSpan(0, length), ref packet, out _, out _);

            // Then: a clean outcome for every cut
            Assert.True(Enum.IsDefined(status));
        }
    }

    [Fact]
    public void AVxlanPacketTheUnderlayFragmentedIsReadOnceReassembled()
    {
        // Given: a SYN to the database inside VXLAN, its outer IPv4 packet cut in two fragments (underlay MTU too small)
        var syn = FrameBuilder.Ethernet(FrameBuilder.Ip("198.18.1.20", "198.18.2.20", 6, FrameBuilder.TcpSegment(40000, 3306, TcpFlags.Syn, 100, 0, new byte[600])));
        var udp = FrameBuilder.UdpDatagram(51000, 4789, [.. Vxlan(), .. syn]);
        var first = FrameBuilder.Ethernet(FrameBuilder.Ip(NodeA, NodeB, 17, udp[..400], identification: 9, fragmentField: 0x2000));
        var second = FrameBuilder.Ethernet(FrameBuilder.Ip(NodeA, NodeB, 17, udp[400..], identification: 9, fragmentField: 400 / 8));

        // When
        var sink = CaptureRun.Live(null, null, (0, 1_000_000, first), (0, 2_000_000, second));

        // Then: the pod's connection, not a UDP flow between the nodes
        var connection = Assert.Single(sink.Connections);
        Assert.Equal("198.18.1.20:40000", connection.Client.ToString());
        Assert.Equal("198.18.2.20:3306", connection.Server.ToString());
        Assert.Empty(sink.UdpFlows);
    }

    private static (byte[] Frame, TunnelKind Kind) Outer(string tunnel) => tunnel switch
    {
        "vxlan" => (Udp(4789, [.. Vxlan(), .. InnerFrame]), TunnelKind.Vxlan),
        "vxlan-8472" => (Udp(8472, [.. Vxlan(), .. InnerFrame]), TunnelKind.Vxlan),
        "geneve" => (Udp(6081, [0x01, 0x00, 0x65, 0x58, 0, 0, 42, 0, /* one 4-byte option */ 0x01, 0x02, 0x03, 0x00, .. InnerFrame]), TunnelKind.Geneve),
        "ipip" => (FrameBuilder.Ethernet(FrameBuilder.Ip(NodeA, NodeB, 4, InnerIp)), TunnelKind.IpInIp),
        "gre" => (FrameBuilder.Ethernet(FrameBuilder.Ip(NodeA, NodeB, 47, [0x00, 0x00, 0x08, 0x00, .. InnerIp])), TunnelKind.Gre),
        _ => (FrameBuilder.Ethernet(FrameBuilder.Ip(NodeA, NodeB, 47, [0x20, 0x00, 0x65, 0x58, 0, 0, 0, 7, .. InnerFrame])), TunnelKind.Gre),
    };

    private static byte[] Udp(ushort port, byte[] payload) => FrameBuilder.Ethernet(FrameBuilder.Ip(NodeA, NodeB, 17, FrameBuilder.UdpDatagram(51000, port, payload)));

    private static byte[] Vxlan() => [0x08, 0, 0, 0, 0, 0, 1, 0];
}
