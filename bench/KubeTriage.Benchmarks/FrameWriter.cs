using System.Buffers.Binary;

namespace KubeTriage.Benchmarks;

/// <summary>
/// Writes pcap records of Ethernet/IPv4/TCP and Ethernet/IPv4/UDP frames into a stream, with
/// correct IP and UDP lengths (checksums left zero, as offloading NICs leave them in captures).
/// </summary>
public sealed class FrameWriter(Stream stream)
{
    private readonly byte[] _frame = new byte[65_600];

    public long Packets { get; private set; }

    public long Bytes { get; private set; }

    public static void WriteFileHeader(Stream stream)
    {
        Span<byte> header = stackalloc byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(header, 0xA1B2C3D4);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], 4);
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], 262144);
        BinaryPrimitives.WriteUInt32LittleEndian(header[20..], 1);
        stream.Write(header);
    }

    public void Tcp(long timeNs, uint source, ushort sourcePort, uint destination, ushort destinationPort, byte flags, uint sequence, uint acknowledgment, ReadOnlySpan<byte> payload)
    {
        var frame = _frame.AsSpan();
        int ip = Ethernet(frame);
        int tcp = Ipv4(frame[ip..], source, destination, 6, 20 + payload.Length);
        var segment = frame[(ip + tcp)..];
        BinaryPrimitives.WriteUInt16BigEndian(segment, sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(segment[2..], destinationPort);
        BinaryPrimitives.WriteUInt32BigEndian(segment[4..], sequence);
        BinaryPrimitives.WriteUInt32BigEndian(segment[8..], acknowledgment);
        segment[12] = 5 << 4;
        segment[13] = flags;
        BinaryPrimitives.WriteUInt16BigEndian(segment[14..], 64240);
        segment[16..20].Clear();
        payload.CopyTo(segment[20..]);
        Record(timeNs, ip + tcp + 20 + payload.Length);
    }

    public void Udp(long timeNs, uint source, ushort sourcePort, uint destination, ushort destinationPort, ReadOnlySpan<byte> payload)
    {
        var frame = _frame.AsSpan();
        int ip = Ethernet(frame);
        int udp = Ipv4(frame[ip..], source, destination, 17, 8 + payload.Length);
        var datagram = frame[(ip + udp)..];
        BinaryPrimitives.WriteUInt16BigEndian(datagram, sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(datagram[2..], destinationPort);
        BinaryPrimitives.WriteUInt16BigEndian(datagram[4..], (ushort)(8 + payload.Length));
        datagram[6..8].Clear();
        payload.CopyTo(datagram[8..]);
        Record(timeNs, ip + udp + 8 + payload.Length);
    }

    private static int Ethernet(Span<byte> frame)
    {
        ReadOnlySpan<byte> macs = [0x02, 0x42, 0xC6, 0x12, 0x01, 0x14, 0x02, 0x42, 0xC6, 0x12, 0x02, 0x01];
        macs.CopyTo(frame);
        BinaryPrimitives.WriteUInt16BigEndian(frame[12..], 0x0800);
        return 14;
    }

    private static int Ipv4(Span<byte> ip, uint source, uint destination, byte protocol, int transportLength)
    {
        ip[0] = 0x45;
        ip[1] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)(20 + transportLength));
        BinaryPrimitives.WriteUInt16BigEndian(ip[4..], 0);
        BinaryPrimitives.WriteUInt16BigEndian(ip[6..], 0x4000);
        ip[8] = 64;
        ip[9] = protocol;
        ip[10] = 0;
        ip[11] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(ip[12..], source);
        BinaryPrimitives.WriteUInt32BigEndian(ip[16..], destination);
        return 20;
    }

    private void Record(long timeNs, int length)
    {
        Span<byte> header = stackalloc byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(header, (uint)(timeNs / 1_000_000_000));
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], (uint)(timeNs % 1_000_000_000 / 1000));
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], (uint)length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], (uint)length);
        stream.Write(header);
        stream.Write(_frame, 0, length);
        Packets++;
        Bytes += 16 + length;
    }
}
