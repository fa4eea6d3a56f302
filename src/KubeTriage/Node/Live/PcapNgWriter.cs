using System.Buffers.Binary;
using System.Text;
using KubeTriage.Capture.Files;

namespace KubeTriage.Node.Live;

/// <summary>
/// Writes a pcapng file (https://www.ietf.org/archive/id/draft-ietf-opsawg-pcapng-03.html): one Section Header
/// Block, one Interface Description Block per interface (with <c>if_name</c> and <c>if_tsresol</c> = 9, i.e.
/// nanoseconds) and one Enhanced Packet Block per packet, all little-endian.
/// <code>
///  EPB: | type 6 | total length | interface id | ts high | ts low | captured len | original len | data … pad4 | total length |
/// </code>
/// Not thread-safe: one writer thread.
/// </summary>
public sealed class PcapNgWriter : IDisposable
{
    private const uint SectionHeaderBlock = 0x0A0D0D0A;
    private const uint InterfaceDescriptionBlock = 0x00000001;
    private const uint EnhancedPacketBlock = 0x00000006;
    private const uint ByteOrderMagic = 0x1A2B3C4D;
    private const ushort OptionEnd = 0;
    private const ushort OptionShbUserAppl = 4;
    private const ushort OptionIfName = 2;
    private const ushort OptionIfTsResol = 9;
    private const byte NanosecondResolution = 9;

    private readonly Stream _stream;
    private readonly byte[] _header = new byte[28];
    private int _interfaces;

    public PcapNgWriter(Stream stream, string application)
    {
        _stream = stream;
        var options = Options((OptionShbUserAppl, Encoding.UTF8.GetBytes(application)));
        var block = new byte[28 + options.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(block, SectionHeaderBlock);
        BinaryPrimitives.WriteUInt32LittleEndian(block.AsSpan(4), (uint)block.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(block.AsSpan(8), ByteOrderMagic);
        BinaryPrimitives.WriteUInt16LittleEndian(block.AsSpan(12), 1);
        BinaryPrimitives.WriteUInt16LittleEndian(block.AsSpan(14), 0);
        BinaryPrimitives.WriteInt64LittleEndian(block.AsSpan(16), -1); // section length not known
        options.CopyTo(block.AsSpan(24));
        BinaryPrimitives.WriteUInt32LittleEndian(block.AsSpan(block.Length - 4), (uint)block.Length);
        _stream.Write(block);
    }

    public long Packets { get; private set; }

    /// <summary>Declares an interface; returns its id for <see cref="WritePacket"/>.</summary>
    public int AddInterface(string name, LinkType linkType, int snapLength)
    {
        var options = Options((OptionIfName, Encoding.UTF8.GetBytes(name)), (OptionIfTsResol, [NanosecondResolution]));
        var block = new byte[20 + options.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(block, InterfaceDescriptionBlock);
        BinaryPrimitives.WriteUInt32LittleEndian(block.AsSpan(4), (uint)block.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(block.AsSpan(8), (ushort)linkType);
        BinaryPrimitives.WriteUInt16LittleEndian(block.AsSpan(10), 0);
        BinaryPrimitives.WriteUInt32LittleEndian(block.AsSpan(12), (uint)snapLength);
        options.CopyTo(block.AsSpan(16));
        BinaryPrimitives.WriteUInt32LittleEndian(block.AsSpan(block.Length - 4), (uint)block.Length);
        _stream.Write(block);
        return _interfaces++;
    }

    /// <summary>One packet: interface id, Unix time in nanoseconds, the captured bytes and the length on the wire.</summary>
    public void WritePacket(int interfaceId, long timeNs, ReadOnlySpan<byte> data, int originalLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(interfaceId);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(interfaceId, _interfaces);
        var padded = Pad4(data.Length);
        var total = 32 + padded;
        var ts = (ulong)Math.Max(0, timeNs);
        BinaryPrimitives.WriteUInt32LittleEndian(_header, EnhancedPacketBlock);
        BinaryPrimitives.WriteUInt32LittleEndian(_header.AsSpan(4), (uint)total);
        BinaryPrimitives.WriteUInt32LittleEndian(_header.AsSpan(8), (uint)interfaceId);
        BinaryPrimitives.WriteUInt32LittleEndian(_header.AsSpan(12), (uint)(ts >> 32));
        BinaryPrimitives.WriteUInt32LittleEndian(_header.AsSpan(16), (uint)ts);
        BinaryPrimitives.WriteUInt32LittleEndian(_header.AsSpan(20), (uint)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(_header.AsSpan(24), (uint)Math.Max(originalLength, data.Length));
        _stream.Write(_header.AsSpan(0, 28));
        _stream.Write(data);
        Span<byte> tail = stackalloc byte[8];
        tail.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(tail[(padded - data.Length)..], (uint)total);
        _stream.Write(tail[..(padded - data.Length + 4)]);
        Packets++;
    }

    public void Flush() => _stream.Flush();

    public void Dispose()
    {
        _stream.Flush();
        _stream.Dispose();
    }

    private static int Pad4(int length) => (length + 3) & ~3;

    private static byte[] Options(params (ushort Code, byte[] Value)[] options)
    {
        var length = options.Sum(o => 4 + Pad4(o.Value.Length)) + 4;
        var bytes = new byte[length];
        var at = 0;
        foreach (var (code, value) in options)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(at), code);
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(at + 2), (ushort)value.Length);
            value.CopyTo(bytes, at + 4);
            at += 4 + Pad4(value.Length);
        }

        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(at), OptionEnd);
        return bytes;
    }
}
