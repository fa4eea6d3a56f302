using KubeTriage.Capture.Files;
using KubeTriage.Capture.Packets;
using KubeTriage.Capture.Primitives;
using KubeTriage.Capture.Tests.Support;

namespace KubeTriage.Capture.Tests.Packets;

public class LinkDecoderTests
{
    private static readonly byte[] Ipv4Udp = FrameBuilder.Ip("198.18.1.20", "198.18.2.10", 17, FrameBuilder.UdpDatagram(40000, 53, [1, 2, 3, 4]));

    public static TheoryData<string, LinkType, byte[]> Frames => new()
    {
        { "ethernet", LinkType.Ethernet, FrameBuilder.Ethernet(Ipv4Udp) },
        { "802.1Q priority tag, VID 0", LinkType.Ethernet, FrameBuilder.Ethernet(Ipv4Udp, (0x8100, 0)) },
        { "802.1ad QinQ", LinkType.Ethernet, FrameBuilder.Ethernet(Ipv4Udp, (0x88A8, 100), (0x8100, 200)) },
        { "legacy 9100 QinQ plus a third tag", LinkType.Ethernet, FrameBuilder.Ethernet(Ipv4Udp, (0x9100, 1), (0x8100, 2), (0x8100, 3)) },
        { "linux cooked v1", LinkType.LinuxSll, FrameBuilder.LinuxSll(Ipv4Udp) },
        { "linux cooked v2", LinkType.LinuxSll2, FrameBuilder.LinuxSll2(Ipv4Udp, 7) },
        { "raw (101)", LinkType.Raw, Ipv4Udp },
        { "raw IPv4 (228)", LinkType.Ipv4, Ipv4Udp },
        { "BSD loopback, little-endian host", LinkType.Null, [2, 0, 0, 0, .. Ipv4Udp] },
        { "BSD loopback, big-endian host", LinkType.Null, [0, 0, 0, 2, .. Ipv4Udp] },
        { "OpenBSD loop, network order", LinkType.Loop, [0, 0, 0, 2, .. Ipv4Udp] },
    };

    [Theory]
    [MemberData(nameof(Frames))]
    public void EveryLinkTypeReachesTheSameUdpDatagram(string name, LinkType linkType, byte[] frame)
    {
        // Given
        var packet = default(DecodedPacket);

        // When
        var status = PacketDecoder.Decode(linkType, frame, ref packet, out var error, out _);

        // Then
        Assert.True(status == PacketStatus.Decoded, $"{name}: {status} {error}");
        Assert.Equal(NetAddress.Parse("198.18.1.20"), packet.Source);
        Assert.Equal(NetAddress.Parse("198.18.2.10"), packet.Destination);
        Assert.Equal((40000, 53), (packet.SourcePort, packet.DestinationPort));
        Assert.Equal([1, 2, 3, 4], packet.Payload(frame).ToArray());
    }

    [Theory]
    [InlineData(24)]  // NetBSD/OpenBSD
    [InlineData(28)]  // FreeBSD
    [InlineData(30)]  // macOS
    public void LoopbackAddressFamiliesForIpv6AreRecognised(byte family)
    {
        // Given
        var ip = FrameBuilder.Ip("2001:db8::1", "2001:db8::2", 17, FrameBuilder.UdpDatagram(1, 2, []));
        byte[] frame = [family, 0, 0, 0, .. ip];
        var packet = default(DecodedPacket);

        // When
        var status = PacketDecoder.Decode(LinkType.Null, frame, ref packet, out _, out _);

        // Then
        Assert.Equal(PacketStatus.Decoded, status);
        Assert.False(packet.Source.IsV4);
    }

    [Fact]
    public void CookedV2CarriesTheInterfaceIndex()
    {
        // Given
        var frame = FrameBuilder.LinuxSll2(Ipv4Udp, 42);
        var packet = default(DecodedPacket);

        // When
        _ = PacketDecoder.Decode(LinkType.LinuxSll2, frame, ref packet, out _, out _);

        // Then
        Assert.Equal(42, packet.LinkInterfaceIndex);
    }

    [Fact]
    public void ArpIsNotIpAndNotAnError()
    {
        // Given
        var frame = FrameBuilder.Ethernet(Ipv4Udp);
        frame[12] = 0x08;
        frame[13] = 0x06;
        var packet = default(DecodedPacket);

        // When
        var status = PacketDecoder.Decode(LinkType.Ethernet, frame, ref packet, out var error, out _);

        // Then
        Assert.Equal(PacketStatus.NotIp, status);
        Assert.Equal(WireError.None, error);
    }

    [Fact]
    public void TooManyVlanTagsIsMalformed()
    {
        // Given
        var tags = Enumerable.Repeat(((ushort)0x8100, (ushort)1), EthernetDecoder.MaxTags + 1).ToArray();
        var frame = FrameBuilder.Ethernet(Ipv4Udp, tags);

        // When
        var result = EthernetDecoder.TryRead(frame, out _);

        // Then
        Assert.True(result.IsMalformed);
        Assert.Equal(WireError.PacketTooManyHeaders, result.Error);
    }

    [Fact]
    public void UnsupportedLinkTypeIsReported()
    {
        // Given
        var packet = default(DecodedPacket);

        // When
        var status = PacketDecoder.Decode((LinkType)105, [1, 2, 3], ref packet, out var error, out _);

        // Then
        Assert.Equal(PacketStatus.Malformed, status);
        Assert.Equal(WireError.PacketUnsupportedLinkType, error);
    }

    [Fact]
    public void EveryPrefixOfALinkHeaderNeedsMore()
    {
        // Given
        var ethernet = FrameBuilder.Ethernet(Ipv4Udp, (0x88A8, 1), (0x8100, 2));
        var sll = FrameBuilder.LinuxSll(Ipv4Udp);
        var sll2 = FrameBuilder.LinuxSll2(Ipv4Udp, 3);

        // Then
        for (int n = 0; n < 22; n++)
        {
            Assert.True(EthernetDecoder.TryRead(ethernet.AsSpan(0, n), out _).IsNeedMore, $"ethernet prefix {n}");
        }

        for (int n = 0; n < LinuxSllDecoder.HeaderLength; n++)
        {
            Assert.True(LinuxSllDecoder.TryRead(sll.AsSpan(0, n), out _).IsNeedMore, $"sll prefix {n}");
        }

        for (int n = 0; n < LinuxSll2Decoder.HeaderLength; n++)
        {
            Assert.True(LinuxSll2Decoder.TryRead(sll2.AsSpan(0, n), out _, out _).IsNeedMore, $"sll2 prefix {n}");
        }

        for (int n = 0; n < LoopbackDecoder.HeaderLength; n++)
        {
            Assert.True(LoopbackDecoder.TryRead(new byte[n], false, out _).IsNeedMore, $"loopback prefix {n}");
        }
    }
}
