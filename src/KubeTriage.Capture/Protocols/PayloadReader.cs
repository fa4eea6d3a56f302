using System.Buffers.Binary;

namespace KubeTriage.Capture.Protocols;

/// <summary>
/// A forward-only reader over a span with one bounds gate (<see cref="TryTake"/>): every read asks it
/// first, and a read past the end sets <see cref="Overrun"/> and yields zeros or an empty span instead of
/// throwing. Callers read a whole structure and then check <see cref="Overrun"/> once.
/// Network (DNS, TLS) fields are big-endian; MySQL fields are little-endian; each method says which.
/// </summary>
internal ref struct PayloadReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _offset;
    private bool _overrun;

    public PayloadReader(ReadOnlySpan<byte> data, int offset = 0)
    {
        _data = data;
        _offset = Math.Clamp(offset, 0, data.Length);
        _overrun = offset > data.Length;
    }

    public readonly int Offset => _offset;

    public readonly int Remaining => _data.Length - _offset;

    public readonly int Length => _data.Length;

    /// <summary>True once any read asked for more bytes than were left; sticky.</summary>
    public readonly bool Overrun => _overrun;

    public readonly ReadOnlySpan<byte> Data => _data;

    public readonly ReadOnlySpan<byte> Rest => _data[_offset..];

    /// <summary>The bounds gate. The unsigned compare also rejects negative counts.</summary>
    private bool TryTake(int count, out int start)
    {
        if (_overrun || (uint)count > (uint)(_data.Length - _offset))
        {
            _overrun = true;
            start = 0;
            return false;
        }

        start = _offset;
        _offset += count;
        return true;
    }

    public readonly bool CanRead(int count) => !_overrun && (uint)count <= (uint)(_data.Length - _offset);

    public readonly byte PeekByte() => _offset < _data.Length ? _data[_offset] : (byte)0;

    public byte ReadByte() => TryTake(1, out var at) ? _data[at] : (byte)0;

    public ushort ReadUInt16BigEndian() =>
        TryTake(2, out var at) ? BinaryPrimitives.ReadUInt16BigEndian(_data.Slice(at, 2)) : (ushort)0;

    public uint ReadUInt24BigEndian() =>
        TryTake(3, out var at) ? (uint)(_data[at] << 16 | _data[at + 1] << 8 | _data[at + 2]) : 0u;

    public uint ReadUInt32BigEndian() =>
        TryTake(4, out var at) ? BinaryPrimitives.ReadUInt32BigEndian(_data.Slice(at, 4)) : 0u;

    public ushort ReadUInt16LittleEndian() =>
        TryTake(2, out var at) ? BinaryPrimitives.ReadUInt16LittleEndian(_data.Slice(at, 2)) : (ushort)0;

    public uint ReadUInt24LittleEndian() =>
        TryTake(3, out var at) ? (uint)(_data[at] | _data[at + 1] << 8 | _data[at + 2] << 16) : 0u;

    public uint ReadUInt32LittleEndian() =>
        TryTake(4, out var at) ? BinaryPrimitives.ReadUInt32LittleEndian(_data.Slice(at, 4)) : 0u;

    public ulong ReadUInt64LittleEndian() =>
        TryTake(8, out var at) ? BinaryPrimitives.ReadUInt64LittleEndian(_data.Slice(at, 8)) : 0ul;

    public ReadOnlySpan<byte> ReadBytes(int count) =>
        TryTake(count, out var at) ? _data.Slice(at, count) : default;

    public void Skip(int count) => TryTake(count, out _);

    public ReadOnlySpan<byte> ReadRest() => ReadBytes(Remaining);

    /// <summary>Bytes up to a NUL, consuming the NUL; overrun when there is none.</summary>
    public ReadOnlySpan<byte> ReadNullTerminated()
    {
        if (_overrun)
        {
            return default;
        }

        var length = _data[_offset..].IndexOf((byte)0);
        if (length < 0)
        {
            _overrun = true;
            return default;
        }

        var text = ReadBytes(length);
        Skip(1);
        return text;
    }

    /// <summary>
    /// MySQL length-encoded integer (https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_dt_integers.html):
    /// &lt; 0xFB is the value, 0xFC/0xFD/0xFE prefix 2/3/8 little-endian bytes. 0xFB (NULL) and 0xFF are
    /// not integers: they set <paramref name="invalid"/>.
    /// </summary>
    public ulong ReadLengthEncodedInteger(out bool invalid)
    {
        invalid = false;
        var first = ReadByte();
        switch (first)
        {
            case < 0xFB:
                return first;
            case 0xFC:
                return ReadUInt16LittleEndian();
            case 0xFD:
                return ReadUInt24LittleEndian();
            case 0xFE:
                return ReadUInt64LittleEndian();
            default:
                invalid = true;
                return 0;
        }
    }

    /// <summary>A MySQL length-encoded string; lengths beyond the remaining bytes overrun.</summary>
    public ReadOnlySpan<byte> ReadLengthEncodedString()
    {
        var length = ReadLengthEncodedInteger(out var invalid);
        if (invalid || length > int.MaxValue)
        {
            _overrun = true;
            return default;
        }

        return ReadBytes((int)length);
    }
}
