using KubeTriage.Capture.Files;
using KubeTriage.Capture.Packets;
using KubeTriage.Capture.Primitives;
using KubeTriage.Capture.Tests.Support;

namespace KubeTriage.Capture.Tests.Packets;

public class TransportDecoderTests
{
    [Theory]
    [InlineData(TcpFlags.Syn)]
    [InlineData(TcpFlags.Syn | TcpFlags.Ack)]
    [InlineData(TcpFlags.Rst | TcpFlags.Ack)]
    [InlineData(TcpFlags.Fin | TcpFlags.Psh | TcpFlags.Ack | TcpFlags.Ece | TcpFlags.Cwr)]
    public void TcpHeaderFieldsAreRead(TcpFlags flags)
    {
        // Given
        var segment = FrameBuilder.TcpSegment(3306, 51000, flags, 0xFFFFFFF0, 0x01020304, [], window: 0);
        var packet = default(DecodedPacket);

        // When
        var result = TcpDecoder.TryRead(segment, ref packet);

        // Then
        Assert.Equal(20, result.Consumed);
        Assert.Equal(flags, packet.Flags);
        Assert.Equal(0xFFFFFFF0u, packet.Sequence);
        Assert.Equal(0x01020304u, packet.Acknowledgment);
        Assert.Equal(0, packet.Window);
    }

    [Fact]
    public void TcpDataOffsetBelowFiveIsMalformed()
    {
        // Given
        var segment = FrameBuilder.TcpSegment(1, 2, TcpFlags.Ack, 0, 0, []);
        segment[12] = 4 << 4;
        var packet = default(DecodedPacket);

        // When
        var result = TcpDecoder.TryRead(segment, ref packet);

        // Then
        Assert.True(result.IsMalformed);
        Assert.Equal(WireError.PacketBadHeaderLength, result.Error);
    }

    [Fact]
    public void EveryPrefixOfATransportHeaderNeedsMore()
    {
        // Given: TCP with 12 bytes of options, UDP, ICMP
        var tcp = FrameBuilder.TcpSegment(1, 2, TcpFlags.Syn, 0, 0, new byte[12]);
        tcp[12] = 8 << 4;
        var udp = FrameBuilder.UdpDatagram(1, 2, []);

        // Then
        for (int n = 0; n < 32; n++)
        {
            var packet = default(DecodedPacket);
            Assert.True(TcpDecoder.TryRead(tcp.AsSpan(0, n), ref packet).IsNeedMore, $"TCP prefix {n}");
        }

        for (int n = 0; n < 8; n++)
        {
            var packet = default(DecodedPacket);
            Assert.True(UdpDecoder.TryRead(udp.AsSpan(0, n), ref packet, out _).IsNeedMore, $"UDP prefix {n}");
        }

        for (int n = 0; n < 2; n++)
        {
            var packet = default(DecodedPacket);
            Assert.True(IcmpDecoder.TryRead(new byte[n], false, ref packet).IsNeedMore, $"ICMP prefix {n}");
        }
    }

    [Fact]
    public void UdpLengthBoundsThePayload()
    {
        // Given: UDP says 8 + 3 bytes though the IP packet carries 5 more bytes of trailer
        var datagram = FrameBuilder.UdpDatagram(53, 40000, [1, 2, 3, 0, 0, 0, 0, 0]);
        datagram[5] = 11;
        var ip = FrameBuilder.Ip("198.18.2.10", "198.18.1.20", 17, datagram);
        var packet = default(DecodedPacket);

        // When
        _ = PacketDecoder.Decode(LinkType.Raw, ip, ref packet, out _, out _);

        // Then
        Assert.Equal([1, 2, 3], packet.Payload(ip).ToArray());
    }

    [Fact]
    public void IcmpPortUnreachableNamesTheOriginalDatagram()
    {
        // Given: the pod's DNS query to 198.18.2.10:53 bounced as port unreachable
        var original = FrameBuilder.Ip("198.18.1.20", "198.18.2.10", 17, FrameBuilder.UdpDatagram(40000, 53, [0xAB, 0xCD]));
        byte[] icmp = [3, 3, 0, 0, 0, 0, 0, 0, .. original];
        var ip = FrameBuilder.Ip("198.18.2.10", "198.18.1.20", 1, icmp);
        var packet = default(DecodedPacket);

        // When
        var status = PacketDecoder.Decode(LinkType.Raw, ip, ref packet, out _, out _);

        // Then
        Assert.Equal(PacketStatus.Decoded, status);
        Assert.Equal((3, 3), (packet.IcmpType, packet.IcmpCode));
        Assert.True(packet.HasEmbedded);
        Assert.Equal((byte)IpProtocol.Udp, packet.EmbeddedProtocol);
        Assert.Equal(NetAddress.Parse("198.18.2.10"), packet.EmbeddedDestination);
        Assert.Equal((40000, 53), (packet.EmbeddedSourcePort, packet.EmbeddedDestinationPort));
    }

    [Fact]
    public void FragmentationNeededAndPacketTooBigCarryTheMtu()
    {
        // Given: a router's "fragmentation needed, next-hop MTU 1200" about the pod's segment, and an ICMPv6 "packet too big, MTU 1280"
        var original = FrameBuilder.Ip("198.18.1.20", "198.19.245.2", 6, FrameBuilder.UdpDatagram(40000, 9000, [0, 0, 0, 0]));
        var v4 = FrameBuilder.Ip("198.19.244.1", "198.18.1.20", 1, [3, 4, 0, 0, 0, 0, 0x04, 0xB0, .. original]);
        var original6 = FrameBuilder.Ip("2001:db8::20", "2001:db8:1::2", 6, FrameBuilder.UdpDatagram(40000, 9000, [0, 0, 0, 0]));
        var v6 = FrameBuilder.Ip("2001:db8::1", "2001:db8::20", 58, [2, 0, 0, 0, 0, 0, 0x05, 0x00, .. original6]);
        var unreachable = FrameBuilder.Ip("198.19.244.1", "198.18.1.20", 1, [3, 3, 0, 0, 0, 0, 0x04, 0xB0, .. original]);
        var packet = default(DecodedPacket);

        // When / Then
        _ = PacketDecoder.Decode(LinkType.Raw, v4, ref packet, out _, out _);
        Assert.Equal(1200u, packet.IcmpMtu);
        Assert.Equal((40000, 9000), (packet.EmbeddedSourcePort, packet.EmbeddedDestinationPort));
        _ = PacketDecoder.Decode(LinkType.Ipv6, v6, ref packet, out _, out _);
        Assert.Equal(1280u, packet.IcmpMtu);
        _ = PacketDecoder.Decode(LinkType.Raw, unreachable, ref packet, out _, out _);
        Assert.Equal(0u, packet.IcmpMtu);
    }

    [Fact]
    public void Icmpv6EchoHasNoEmbeddedPacket()
    {
        // Given
        var ip = FrameBuilder.Ip("2001:db8::1", "2001:db8::2", 58, [128, 0, 0, 0, 0, 1, 0, 1]);
        var packet = default(DecodedPacket);

        // When
        _ = PacketDecoder.Decode(LinkType.Ipv6, ip, ref packet, out _, out _);

        // Then
        Assert.Equal(128, packet.IcmpType);
        Assert.False(packet.HasEmbedded);
        Assert.False(packet.HasTransport);
    }
}
