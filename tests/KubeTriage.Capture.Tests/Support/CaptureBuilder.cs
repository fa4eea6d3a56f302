using System.Buffers.Binary;
using System.Text;
using KubeTriage.Capture.Files;

namespace KubeTriage.Capture.Tests.Support;

/// <summary>Writes classic pcap and pcapng bytes for reader tests, in either byte order.</summary>
public sealed class CaptureBuilder
{
    private readonly MemoryStream _stream = new();
    private readonly bool _bigEndian;

    private CaptureBuilder(bool bigEndian) => _bigEndian = bigEndian;

    public byte[] ToArray() => _stream.ToArray();

    /// <summary>Starts a classic pcap file.</summary>
    public static CaptureBuilder Pcap(LinkType linkType, bool bigEndian = false, bool nanosecond = false, int snapLength = 65535)
    {
        var builder = new CaptureBuilder(bigEndian);
        builder.U32(nanosecond ? 0xA1B23C4D : 0xA1B2C3D4);
        builder.U16(2);
        builder.U16(4);
        builder.U32(0);
        builder.U32(0);
        builder.U32((uint)snapLength);
        builder.U32((uint)linkType);
        return builder;
    }

    /// <summary>Starts a pcapng file with its first section header.</summary>
    public static CaptureBuilder PcapNg(bool bigEndian = false)
    {
        var builder = new CaptureBuilder(bigEndian);
        builder.Section(bigEndian);
        return builder;
    }

    public CaptureBuilder Record(long seconds, long fraction, byte[] data, int? originalLength = null)
    {
        U32((uint)seconds);
        U32((uint)fraction);
        U32((uint)data.Length);
        U32((uint)(originalLength ?? data.Length));
        _stream.Write(data);
        return this;
    }

    /// <summary>Writes raw bytes (for hand-made corrupt records).</summary>
    public CaptureBuilder Raw(byte[] bytes)
    {
        _stream.Write(bytes);
        return this;
    }

    /// <summary>Adds a section header block; a new section may switch the byte order.</summary>
    public CaptureBuilder Section(bool bigEndian)
    {
        var body = new byte[16];
        Write32(body, 0, 0x1A2B3C4D, bigEndian);
        Write16(body, 4, 1, bigEndian);
        Write16(body, 6, 0, bigEndian);
        Write32(body, 8, 0xFFFFFFFF, bigEndian);
        Write32(body, 12, 0xFFFFFFFF, bigEndian);
        return Block(0x0A0D0D0A, body, bigEndian);
    }

    public CaptureBuilder Interface(LinkType linkType, string? name = null, byte? timestampResolution = null, int snapLength = 65535, bool? bigEndian = null)
    {
        bool be = bigEndian ?? _bigEndian;
        var body = new MemoryStream();
        var head = new byte[8];
        Write16(head, 0, (ushort)linkType, be);
        Write32(head, 4, (uint)snapLength, be);
        body.Write(head);
        if (name is not null)
        {
            Option(body, 2, Encoding.UTF8.GetBytes(name), be);
        }

        if (timestampResolution is { } resolution)
        {
            Option(body, 9, [resolution], be);
        }

        body.Write(new byte[4]);
        return Block(1, body.ToArray(), be);
    }

    public CaptureBuilder Enhanced(int interfaceId, ulong timestamp, byte[] data, int? originalLength = null, bool? bigEndian = null)
    {
        bool be = bigEndian ?? _bigEndian;
        var body = new byte[20 + Pad(data.Length)];
        Write32(body, 0, (uint)interfaceId, be);
        Write32(body, 4, (uint)(timestamp >> 32), be);
        Write32(body, 8, (uint)timestamp, be);
        Write32(body, 12, (uint)data.Length, be);
        Write32(body, 16, (uint)(originalLength ?? data.Length), be);
        data.CopyTo(body, 20);
        return Block(6, body, be);
    }

    public CaptureBuilder Simple(byte[] data, bool? bigEndian = null)
    {
        bool be = bigEndian ?? _bigEndian;
        var body = new byte[4 + Pad(data.Length)];
        Write32(body, 0, (uint)data.Length, be);
        data.CopyTo(body, 4);
        return Block(3, body, be);
    }

    /// <summary>Any block; unknown types must be skipped by readers.</summary>
    public CaptureBuilder Block(uint type, byte[] body, bool? bigEndian = null)
    {
        bool be = bigEndian ?? _bigEndian;
        int length = 12 + Pad(body.Length);
        var block = new byte[length];
        Write32(block, 0, type, be);
        Write32(block, 4, (uint)length, be);
        body.CopyTo(block, 8);
        Write32(block, length - 4, (uint)length, be);
        _stream.Write(block);
        return this;
    }

    private static int Pad(int length) => (length + 3) & ~3;

    private static void Option(Stream body, ushort code, byte[] value, bool be)
    {
        var head = new byte[4];
        Write16(head, 0, code, be);
        Write16(head, 2, (ushort)value.Length, be);
        body.Write(head);
        body.Write(value);
        body.Write(new byte[Pad(value.Length) - value.Length]);
    }

    private static void Write16(byte[] buffer, int offset, ushort value, bool be)
    {
        if (be)
        {
            BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(offset), value);
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(buffer.AsSpan(offset), value);
        }
    }

    private static void Write32(byte[] buffer, int offset, uint value, bool be)
    {
        if (be)
        {
            BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(offset), value);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(offset), value);
        }
    }

    private void U16(ushort value)
    {
        var b = new byte[2];
        Write16(b, 0, value, _bigEndian);
        _stream.Write(b);
    }

    private void U32(uint value)
    {
        var b = new byte[4];
        Write32(b, 0, value, _bigEndian);
        _stream.Write(b);
    }
}
