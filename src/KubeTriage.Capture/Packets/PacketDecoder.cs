using System.Runtime.CompilerServices;
using KubeTriage.Capture.Files;
using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Packets;

/// <summary>
/// Decodes one captured frame down to the transport header: link layer by link type, then IPv4 or
/// IPv6, then TCP, UDP or ICMP. Returns <see cref="PacketStatus.Decoded"/> for an IP packet,
/// <see cref="PacketStatus.NotIp"/> for frames that carry something else (ARP, LLDP, …), and
/// <see cref="PacketStatus.Malformed"/> with the reason and offset otherwise. Never throws.
/// A packet of an overlay (VXLAN, Geneve, IP-in-IP, GRE: how pod traffic crosses between nodes with
/// flannel, Calico, Cilium) is decoded as the packet inside it, so the pod's connections show on the
/// node's NIC as they do on its veth; an inner packet that cannot be decoded leaves the outer one.
/// </summary>
internal static class PacketDecoder
{
    /// <summary>Tunnels inside tunnels followed at most this deep.</summary>
    private const int MaxTunnelDepth = 3;

    public static PacketStatus Decode(LinkType linkType, ReadOnlySpan<byte> frame, ref DecodedPacket packet, out WireError error, out int errorOffset)
    {
        packet = default;
        packet.LinkInterfaceIndex = -1;
        error = WireError.None;
        errorOffset = 0;

        var link = ReadLink(linkType, frame, out ushort etherType, out packet.LinkInterfaceIndex);
        if (!link.IsParsed)
        {
            return Fail(link, 0, out error, out errorOffset);
        }

        if (etherType is not (EtherType.Ipv4 or EtherType.Ipv6))
        {
            return PacketStatus.NotIp;
        }

        return DecodeIp(frame, link.Consumed, etherType == EtherType.Ipv6, ref packet, out error, out errorOffset, 0);
    }

    /// <summary>
    /// An ARP message carried by the frame (Ethernet, Linux cooked v1 or v2), with the link's interface index (cooked v2,
    /// else -1); false for anything else. Called only for frames <see cref="Decode"/> found not to be IP.
    /// </summary>
    public static bool TryReadArp(LinkType linkType, ReadOnlySpan<byte> frame, out ArpMessage message, out int linkInterfaceIndex)
    {
        message = default;
        var link = ReadLink(linkType, frame, out ushort etherType, out linkInterfaceIndex);
        return link.IsParsed && etherType == EtherType.Arp && ArpMessage.TryRead(frame[link.Consumed..], out message).IsParsed;
    }

    /// <summary>The link header: how many bytes it takes, the EtherType of what follows, and the cooked-v2 interface index (else -1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ReadResult ReadLink(LinkType linkType, ReadOnlySpan<byte> frame, out ushort etherType, out int linkInterfaceIndex)
    {
        linkInterfaceIndex = -1;
        switch (linkType)
        {
            case LinkType.Ethernet:
                return EthernetDecoder.TryRead(frame, out etherType);
            case LinkType.LinuxSll2:
                return LinuxSll2Decoder.TryRead(frame, out etherType, out linkInterfaceIndex);
            case LinkType.LinuxSll:
                return LinuxSllDecoder.TryRead(frame, out etherType);
            case LinkType.Raw:
                etherType = frame.Length > 0 && frame[0] >> 4 == 6 ? EtherType.Ipv6 : EtherType.Ipv4;
                return ReadResult.Parsed(0);
            case LinkType.Ipv4:
                etherType = EtherType.Ipv4;
                return ReadResult.Parsed(0);
            case LinkType.Ipv6:
                etherType = EtherType.Ipv6;
                return ReadResult.Parsed(0);
            case LinkType.Null:
            case LinkType.Loop:
                return LoopbackDecoder.TryRead(frame, linkType == LinkType.Loop, out etherType);
            default:
                etherType = 0;
                return ReadResult.Malformed(WireError.PacketUnsupportedLinkType, 0);
        }
    }

    private static PacketStatus DecodeIp(ReadOnlySpan<byte> frame, int ipOffset, bool v6, ref DecodedPacket packet, out WireError error, out int errorOffset, int depth)
    {
        error = WireError.None;
        errorOffset = 0;
        var ip = frame[ipOffset..];
        var result = v6 ? Ipv6Decoder.TryRead(ip, ref packet, out int wireLength) : Ipv4Decoder.TryRead(ip, ref packet, out wireLength);
        if (!result.IsParsed)
        {
            return Fail(result, ipOffset, out error, out errorOffset);
        }

        packet.IpOffset = ipOffset;
        packet.IpCapturedLength = Math.Min(wireLength, ip.Length);
        if (packet.IsFragment)
        {
            // Offsets so far are relative to the IP header; the reassembler wants them in the frame.
            packet.FragmentDataLength = Math.Max(0, packet.IpCapturedLength - packet.FragmentDataOffset);
            packet.FragmentDataOffset += ipOffset;
            packet.FragmentWireLength = Math.Max(0, wireLength - (packet.FragmentDataOffset - ipOffset));
            packet.PayloadLength = packet.FragmentWireLength;
            packet.PayloadOffset = packet.FragmentDataOffset;
            packet.PayloadCaptured = Math.Min(packet.FragmentDataLength, packet.FragmentWireLength);
        }

        if (!packet.IsFirstFragment)
        {
            return PacketStatus.Decoded;
        }

        int transportOffset = ipOffset + result.Consumed;
        // The transport lives in the IP length only: Ethernet padding after it is not payload.
        var transport = frame.Slice(transportOffset, Math.Max(0, packet.IpCapturedLength - result.Consumed));
        int transportWire = wireLength - result.Consumed;
        result = packet.Protocol switch
        {
            (byte)IpProtocol.Tcp => TcpDecoder.TryRead(transport, ref packet),
            (byte)IpProtocol.Udp => DecodeUdp(transport, ref packet, ref transportWire),
            (byte)IpProtocol.Icmp => IcmpDecoder.TryRead(transport, false, ref packet),
            (byte)IpProtocol.Icmpv6 => IcmpDecoder.TryRead(transport, true, ref packet),
            _ => ReadResult.Parsed(0),
        };

        if (!result.IsParsed)
        {
            return Fail(result, transportOffset, out error, out errorOffset);
        }

        packet.HasTransport = packet.Protocol is (byte)IpProtocol.Tcp or (byte)IpProtocol.Udp;
        packet.PayloadOffset = transportOffset + result.Consumed;
        packet.PayloadLength = Math.Max(0, transportWire - result.Consumed);
        packet.PayloadCaptured = Math.Min(packet.PayloadLength, transport.Length - result.Consumed);
        if (depth < MaxTunnelDepth && !packet.IsFragment && MayBeTunnel(in packet))
        {
            return Decapsulate(frame, ref packet, out error, out errorOffset, depth);
        }

        return PacketStatus.Decoded;
    }

    /// <summary>
    /// For a datagram reassembled from IP fragments (offsets relative to <paramref name="datagram"/>): when it is
    /// a tunnel's, decodes the packet inside in its place. True when it was replaced.
    /// </summary>
    public static bool TryDecapsulateReassembled(ReadOnlySpan<byte> datagram, ref DecodedPacket packet)
    {
        if (!MayBeTunnel(in packet))
        {
            return false;
        }

        var status = Decapsulate(datagram, ref packet, out _, out _, 1);
        return status == PacketStatus.Decoded && packet.Tunnel != TunnelKind.None;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool MayBeTunnel(in DecodedPacket packet) => packet.Protocol switch
    {
        (byte)IpProtocol.Udp => packet.DestinationPort is VxlanHeader.IanaPort or VxlanHeader.LinuxPort or GeneveHeader.Port,
        (byte)IpProtocol.IpInIp or (byte)IpProtocol.Ipv6InIp or (byte)IpProtocol.Gre => true,
        _ => false,
    };

    /// <summary>
    /// Finds the packet inside an overlay packet and decodes it in place of the outer one. An inner frame that
    /// is not IP (ARP in VXLAN) is <see cref="PacketStatus.NotIp"/>; one that cannot be decoded (or a datagram to
    /// a tunnel port that is not one) leaves the outer packet as it was.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static PacketStatus Decapsulate(ReadOnlySpan<byte> frame, ref DecodedPacket packet, out WireError error, out int errorOffset, int depth)
    {
        error = WireError.None;
        errorOffset = 0;
        var payload = frame.Slice(packet.PayloadOffset, packet.PayloadCaptured);
        TunnelKind kind;
        ReadResult header;
        ushort innerType;
        switch (packet.Protocol)
        {
            case (byte)IpProtocol.IpInIp:
                (kind, header, innerType) = (TunnelKind.IpInIp, ReadResult.Parsed(0), EtherType.Ipv4);
                break;
            case (byte)IpProtocol.Ipv6InIp:
                (kind, header, innerType) = (TunnelKind.IpInIp, ReadResult.Parsed(0), EtherType.Ipv6);
                break;
            case (byte)IpProtocol.Gre:
                kind = TunnelKind.Gre;
                header = GreHeader.TryRead(payload, out innerType);
                break;
            case (byte)IpProtocol.Udp when packet.DestinationPort == GeneveHeader.Port:
                kind = TunnelKind.Geneve;
                header = GeneveHeader.TryRead(payload, out innerType);
                break;
            default:
                kind = TunnelKind.Vxlan;
                header = VxlanHeader.TryRead(payload);
                innerType = EtherType.TransparentEthernet;
                break;
        }

        if (!header.IsParsed)
        {
            return PacketStatus.Decoded;
        }

        int innerOffset = packet.PayloadOffset + header.Consumed;
        bool innerEthernet = innerType == EtherType.TransparentEthernet;
        if (innerEthernet)
        {
            var ethernet = EthernetDecoder.TryRead(frame.Slice(innerOffset, packet.PayloadCaptured - header.Consumed), out innerType);
            if (!ethernet.IsParsed)
            {
                return PacketStatus.Decoded;
            }

            innerOffset += ethernet.Consumed;
        }

        if (innerType is not (EtherType.Ipv4 or EtherType.Ipv6))
        {
            // An inner Ethernet frame of something else (ARP) is not IP; any other payload leaves the outer packet.
            return innerEthernet ? PacketStatus.NotIp : PacketStatus.Decoded;
        }

        var outer = packet;
        packet = default;
        packet.LinkInterfaceIndex = outer.LinkInterfaceIndex;
        var status = DecodeIp(frame, innerOffset, innerType == EtherType.Ipv6, ref packet, out error, out errorOffset, depth + 1);
        if (status != PacketStatus.Decoded)
        {
            packet = outer;
            error = WireError.None;
            errorOffset = 0;
            return PacketStatus.Decoded;
        }

        if (packet.Tunnel == TunnelKind.None)
        {
            packet.Tunnel = kind;
        }

        return PacketStatus.Decoded;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ReadResult DecodeUdp(ReadOnlySpan<byte> transport, ref DecodedPacket packet, ref int transportWire)
    {
        var result = UdpDecoder.TryRead(transport, ref packet, out int datagramLength);
        if (result.IsParsed && datagramLength != 0 && packet.IsFirstFragment && !packet.IsFragment)
        {
            transportWire = Math.Min(transportWire, datagramLength);
        }

        return result;
    }

    private static PacketStatus Fail(ReadResult result, int baseOffset, out WireError error, out int errorOffset)
    {
        error = result.IsNeedMore ? WireError.PacketTruncated : result.Error;
        errorOffset = baseOffset + result.Offset;
        return PacketStatus.Malformed;
    }
}
