using System.Buffers.Binary;
using KubeTriage.Capture.Packets;
using KubeTriage.Capture.Primitives;
using KubeTriage.Capture.Tests.Support;

namespace KubeTriage.Capture.Tests.Packets;

public class IpDecoderTests
{
    [Fact]
    public void Ipv4OptionsMoveTheTransportHeader()
    {
        // Given: IHL 6 (4 bytes of options)
        var plain = FrameBuilder.Ip("198.18.0.10", "198.18.2.20", 6, FrameBuilder.TcpSegment(5000, 3306, TcpFlags.Syn, 7, 0, []));
        byte[] ip = [.. plain[..20], 1, 1, 1, 0, .. plain[20..]];
        ip[0] = 0x46;
        BinaryPrimitives.WriteUInt16BigEndian(ip.AsSpan(2), (ushort)ip.Length);
        var packet = default(DecodedPacket);

        // When
        var status = PacketDecoder.Decode(KubeTriage.Capture.Files.LinkType.Raw, ip, ref packet, out _, out _);

        // Then
        Assert.Equal(PacketStatus.Decoded, status);
        Assert.Equal((5000, 3306), (packet.SourcePort, packet.DestinationPort));
        Assert.Equal(7u, packet.Sequence);
    }

    [Fact]
    public void EthernetPaddingIsNotPayload()
    {
        // Given: a bare ACK padded to the 60-byte Ethernet minimum
        var frame = FrameBuilder.Tcp("198.18.1.20", 40000, "198.18.2.20", 3306, TcpFlags.Ack, 1, 1);
        byte[] padded = [.. frame, 0, 0, 0, 0, 0, 0];
        var packet = default(DecodedPacket);

        // When
        _ = PacketDecoder.Decode(KubeTriage.Capture.Files.LinkType.Ethernet, padded, ref packet, out _, out _);

        // Then
        Assert.Equal(0, packet.PayloadLength);
        Assert.Equal(0, packet.PayloadCaptured);
    }

    [Fact]
    public void SnapLengthCutIsVisibleAsPayloadCut()
    {
        // Given: 100 payload bytes on the wire, the capture kept 10
        var frame = FrameBuilder.Tcp("198.18.1.20", 40000, "198.18.2.20", 3306, TcpFlags.Ack | TcpFlags.Psh, 1, 1, new byte[100]);
        var cut = frame[..(14 + 20 + 20 + 10)];
        var packet = default(DecodedPacket);

        // When
        _ = PacketDecoder.Decode(KubeTriage.Capture.Files.LinkType.Ethernet, cut, ref packet, out _, out _);

        // Then
        Assert.Equal(100, packet.PayloadLength);
        Assert.Equal(10, packet.PayloadCaptured);
        Assert.True(packet.PayloadCut);
    }

    [Theory]
    [InlineData(0x2000, true, true)]    // first fragment: MF set, offset 0: carries ports
    [InlineData(0x0010, true, false)]   // last fragment at offset 128: no ports
    [InlineData(0x4000, false, true)]   // DF only: not a fragment
    public void Ipv4FragmentsCarryPortsOnlyInTheFirst(ushort fragmentField, bool isFragment, bool hasPorts)
    {
        // Given
        var ip = FrameBuilder.Ip("198.18.2.10", "198.18.1.20", 17, FrameBuilder.UdpDatagram(53, 40000, new byte[16]), 99, fragmentField);
        var packet = default(DecodedPacket);

        // When
        _ = PacketDecoder.Decode(KubeTriage.Capture.Files.LinkType.Raw, ip, ref packet, out _, out _);

        // Then
        Assert.Equal(isFragment, packet.IsFragment);
        Assert.Equal(hasPorts, packet.HasTransport);
        Assert.Equal(hasPorts ? (ushort)53 : (ushort)0, packet.SourcePort);
    }

    [Fact]
    public void Ipv6ExtensionHeadersAreWalked()
    {
        // Given: hop-by-hop (8 bytes), destination options (16 bytes), then TCP
        var tcp = FrameBuilder.TcpSegment(443, 50000, TcpFlags.Ack, 1, 2, [9]);
        byte[] chain = [60, 0, 1, 4, 0, 0, 0, 0, 6, 1, 1, 12, .. new byte[12], .. tcp];
        var ip = FrameBuilder.Ip("2001:db8::1", "2001:db8::2", 0, chain);
        var packet = default(DecodedPacket);

        // When
        var status = PacketDecoder.Decode(KubeTriage.Capture.Files.LinkType.Ipv6, ip, ref packet, out var error, out _);

        // Then
        Assert.True(status == PacketStatus.Decoded, error.ToString());
        Assert.Equal((byte)IpProtocol.Tcp, packet.Protocol);
        Assert.Equal((443, 50000), (packet.SourcePort, packet.DestinationPort));
        Assert.Equal([9], packet.Payload(ip).ToArray());
    }

    [Fact]
    public void Ipv6NonFirstFragmentStopsTheWalk()
    {
        // Given: fragment header with offset 1448 (181 × 8), more fragments
        byte[] fragment = [17, 0, 0x05, 0xA9, 0, 0, 0, 7, .. new byte[32]];
        var ip = FrameBuilder.Ip("2001:db8::1", "2001:db8::2", 44, fragment);
        var packet = default(DecodedPacket);

        // When
        _ = PacketDecoder.Decode(KubeTriage.Capture.Files.LinkType.Ipv6, ip, ref packet, out _, out _);

        // Then
        Assert.True(packet.IsFragment);
        Assert.False(packet.IsFirstFragment);
        Assert.False(packet.HasTransport);
        Assert.Equal(1448, packet.FragmentOffset);
        Assert.True(packet.MoreFragments);
        Assert.Equal(7u, packet.FragmentId);
    }

    [Fact]
    public void EndlessExtensionHeaderChainIsCut()
    {
        // Given: nine destination-options headers in a row
        var chain = Enumerable.Range(0, 9).SelectMany(_ => new byte[] { 60, 0, 1, 4, 0, 0, 0, 0 }).ToArray();
        var ip = FrameBuilder.Ip("2001:db8::1", "2001:db8::2", 60, chain);
        var packet = default(DecodedPacket);

        // When
        var result = Ipv6Decoder.TryRead(ip, ref packet, out _);

        // Then
        Assert.True(result.IsMalformed);
        Assert.Equal(WireError.PacketTooManyHeaders, result.Error);
    }

    [Theory]
    [InlineData(0x44, WireError.PacketBadHeaderLength)]  // IHL 4 < 5
    [InlineData(0x65, WireError.PacketBadIpVersion)]
    public void BadIpv4HeadersAreMalformed(byte versionIhl, WireError expected)
    {
        // Given
        var ip = FrameBuilder.Ip("198.18.0.1", "198.18.0.2", 17, FrameBuilder.UdpDatagram(1, 2, []));
        ip[0] = versionIhl;
        var packet = default(DecodedPacket);

        // When
        var result = Ipv4Decoder.TryRead(ip, ref packet, out _);

        // Then
        Assert.True(result.IsMalformed);
        Assert.Equal(expected, result.Error);
    }

    [Fact]
    public void EveryPrefixOfAnIpHeaderNeedsMore()
    {
        // Given
        var v4 = FrameBuilder.Ip("198.18.0.1", "198.18.0.2", 17, []);
        var v6 = FrameBuilder.Ip("2001:db8::1", "2001:db8::2", 0, [17, 0, 0, 0, 0, 0, 0, 0]);

        // Then
        for (int n = 0; n < 20; n++)
        {
            var packet = default(DecodedPacket);
            Assert.True(Ipv4Decoder.TryRead(v4.AsSpan(0, n), ref packet, out _).IsNeedMore, $"IPv4 prefix {n}");
        }

        for (int n = 0; n < 48; n++)
        {
            var packet = default(DecodedPacket);
            Assert.True(Ipv6Decoder.TryRead(v6.AsSpan(0, n), ref packet, out _).IsNeedMore, $"IPv6 prefix {n}");
        }
    }
}
