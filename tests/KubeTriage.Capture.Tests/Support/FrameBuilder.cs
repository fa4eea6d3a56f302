using System.Buffers.Binary;
using System.Net;
using KubeTriage.Capture.Packets;

namespace KubeTriage.Capture.Tests.Support;

/// <summary>
/// Builds frames for decoder and flow tests: Ethernet (optionally VLAN-tagged), Linux cooked v1/v2 or
/// raw, around IPv4 or IPv6, around TCP or UDP. Checksums are left zero (the engine does not check them).
/// </summary>
public static class FrameBuilder
{
    public static byte[] Tcp(string source, ushort sourcePort, string destination, ushort destinationPort, TcpFlags flags,
        uint sequence = 0, uint acknowledgment = 0, byte[]? payload = null, ushort window = 65535) =>
        Ethernet(Ip(source, destination, (byte)IpProtocol.Tcp, TcpSegment(sourcePort, destinationPort, flags, sequence, acknowledgment, payload ?? [], window)));

    public static byte[] Udp(string source, ushort sourcePort, string destination, ushort destinationPort, byte[] payload) =>
        Ethernet(Ip(source, destination, (byte)IpProtocol.Udp, UdpDatagram(sourcePort, destinationPort, payload)));

    public static byte[] TcpSegment(ushort sourcePort, ushort destinationPort, TcpFlags flags, uint sequence, uint acknowledgment, byte[] payload, ushort window = 65535)
    {
        var segment = new byte[20 + payload.Length];
        BinaryPrimitives.WriteUInt16BigEndian(segment, sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), destinationPort);
        BinaryPrimitives.WriteUInt32BigEndian(segment.AsSpan(4), sequence);
        BinaryPrimitives.WriteUInt32BigEndian(segment.AsSpan(8), acknowledgment);
        segment[12] = 5 << 4;
        segment[13] = (byte)flags;
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(14), window);
        payload.CopyTo(segment, 20);
        return segment;
    }

    public static byte[] UdpDatagram(ushort sourcePort, ushort destinationPort, byte[] payload)
    {
        var datagram = new byte[8 + payload.Length];
        BinaryPrimitives.WriteUInt16BigEndian(datagram, sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(2), destinationPort);
        BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(4), (ushort)datagram.Length);
        payload.CopyTo(datagram, 8);
        return datagram;
    }

    /// <summary>An IPv4 or IPv6 packet (by the address family of <paramref name="source"/>).</summary>
    public static byte[] Ip(string source, string destination, byte protocol, byte[] transport, ushort identification = 1, ushort fragmentField = 0)
    {
        var src = IPAddress.Parse(source).GetAddressBytes();
        var dst = IPAddress.Parse(destination).GetAddressBytes();
        if (src.Length == 16)
        {
            var v6 = new byte[40 + transport.Length];
            v6[0] = 0x60;
            BinaryPrimitives.WriteUInt16BigEndian(v6.AsSpan(4), (ushort)transport.Length);
            v6[6] = protocol;
            v6[7] = 64;
            src.CopyTo(v6, 8);
            dst.CopyTo(v6, 24);
            transport.CopyTo(v6, 40);
            return v6;
        }

        var v4 = new byte[20 + transport.Length];
        v4[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(v4.AsSpan(2), (ushort)v4.Length);
        BinaryPrimitives.WriteUInt16BigEndian(v4.AsSpan(4), identification);
        BinaryPrimitives.WriteUInt16BigEndian(v4.AsSpan(6), fragmentField);
        v4[8] = 64;
        v4[9] = protocol;
        src.CopyTo(v4, 12);
        dst.CopyTo(v4, 16);
        transport.CopyTo(v4, 20);
        return v4;
    }

    /// <summary>Ethernet II around an IP packet, with optional VLAN tags given as (TPID, VLAN id) pairs.</summary>
    public static byte[] Ethernet(byte[] ip, params (ushort Tpid, ushort Vid)[] tags)
    {
        var frame = new byte[14 + (4 * tags.Length) + ip.Length];
        for (int i = 0; i < 6; i++)
        {
            frame[i] = 0x02;
            frame[6 + i] = 0x04;
        }

        int offset = 12;
        foreach (var (tpid, vid) in tags)
        {
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(offset), tpid);
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(offset + 2), vid);
            offset += 4;
        }

        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(offset), ip[0] >> 4 == 6 ? (ushort)0x86DD : (ushort)0x0800);
        ip.CopyTo(frame, offset + 2);
        return frame;
    }

    /// <summary>Linux cooked v2 around an IP packet, seen on interface <paramref name="interfaceIndex"/>.</summary>
    public static byte[] LinuxSll2(byte[] ip, int interfaceIndex)
    {
        var frame = new byte[20 + ip.Length];
        BinaryPrimitives.WriteUInt16BigEndian(frame, ip[0] >> 4 == 6 ? (ushort)0x86DD : (ushort)0x0800);
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(4), interfaceIndex);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(8), 1);
        frame[11] = 6;
        ip.CopyTo(frame, 20);
        return frame;
    }

    /// <summary>Linux cooked v1 around an IP packet.</summary>
    public static byte[] LinuxSll(byte[] ip)
    {
        var frame = new byte[16 + ip.Length];
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), 1);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(4), 6);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(14), ip[0] >> 4 == 6 ? (ushort)0x86DD : (ushort)0x0800);
        ip.CopyTo(frame, 16);
        return frame;
    }

    /// <summary>
    /// An ARP message in an Ethernet frame (RFC 826, IPv4 over Ethernet): operation 1 asks who has
    /// <paramref name="target"/>, 2 answers that <paramref name="sender"/> is at the sender's hardware address.
    /// </summary>
    public static byte[] Arp(ushort operation, string sender, string target)
    {
        var frame = new byte[14 + 28];
        frame.AsSpan(0, 6).Fill(operation == 1 ? (byte)0xFF : (byte)0x02);
        frame.AsSpan(6, 6).Fill(0x04);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), 0x0806);
        var arp = frame.AsSpan(14);
        BinaryPrimitives.WriteUInt16BigEndian(arp, 1);
        BinaryPrimitives.WriteUInt16BigEndian(arp[2..], 0x0800);
        arp[4] = 6;
        arp[5] = 4;
        BinaryPrimitives.WriteUInt16BigEndian(arp[6..], operation);
        arp.Slice(8, 6).Fill(0x04);
        System.Net.IPAddress.Parse(sender).GetAddressBytes().CopyTo(arp[14..]);
        System.Net.IPAddress.Parse(target).GetAddressBytes().CopyTo(arp[24..]);
        return frame;
    }
}
