using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace KubeTriage.Capture.Primitives;

/// <summary>
/// Forward-only reader over a span. Every read passes through one bounds gate
/// (<see cref="CanRead"/>) and names its byte order; a read past the end returns false and
/// leaves the position unchanged, so truncated input is an outcome, never an exception.
/// </summary>
public ref struct SpanReader
{
    private readonly ReadOnlySpan<byte> _span;
    private int _position;

    public SpanReader(ReadOnlySpan<byte> span)
    {
        _span = span;
        _position = 0;
    }

    public readonly int Position => _position;

    public readonly int Remaining => _span.Length - _position;

    public readonly int Length => _span.Length;

    public readonly ReadOnlySpan<byte> Rest => _span[_position..];

    /// <summary>The one bounds gate: the unsigned compare also rejects negative counts.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly bool CanRead(int count) => (uint)count <= (uint)(_span.Length - _position);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TrySkip(int count)
    {
        if (!CanRead(count))
        {
            return false;
        }

        _position += count;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadUInt8(out byte value)
    {
        if (!CanRead(1))
        {
            value = 0;
            return false;
        }

        value = _span[_position++];
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadUInt16BigEndian(out ushort value)
    {
        if (!CanRead(2))
        {
            value = 0;
            return false;
        }

        value = BinaryPrimitives.ReadUInt16BigEndian(_span.Slice(_position, 2));
        _position += 2;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadUInt16LittleEndian(out ushort value)
    {
        if (!CanRead(2))
        {
            value = 0;
            return false;
        }

        value = BinaryPrimitives.ReadUInt16LittleEndian(_span.Slice(_position, 2));
        _position += 2;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadUInt32BigEndian(out uint value)
    {
        if (!CanRead(4))
        {
            value = 0;
            return false;
        }

        value = BinaryPrimitives.ReadUInt32BigEndian(_span.Slice(_position, 4));
        _position += 4;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadUInt32LittleEndian(out uint value)
    {
        if (!CanRead(4))
        {
            value = 0;
            return false;
        }

        value = BinaryPrimitives.ReadUInt32LittleEndian(_span.Slice(_position, 4));
        _position += 4;
        return true;
    }

    /// <summary>Reads in the byte order a file header announced (pcap magic, pcapng section).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadUInt16(bool bigEndian, out ushort value) =>
        bigEndian ? TryReadUInt16BigEndian(out value) : TryReadUInt16LittleEndian(out value);

    /// <summary>Reads in the byte order a file header announced (pcap magic, pcapng section).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadUInt32(bool bigEndian, out uint value) =>
        bigEndian ? TryReadUInt32BigEndian(out value) : TryReadUInt32LittleEndian(out value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadUInt64BigEndian(out ulong value)
    {
        if (!CanRead(8))
        {
            value = 0;
            return false;
        }

        value = BinaryPrimitives.ReadUInt64BigEndian(_span.Slice(_position, 8));
        _position += 8;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadBytes(int count, out ReadOnlySpan<byte> bytes)
    {
        if (!CanRead(count))
        {
            bytes = default;
            return false;
        }

        bytes = _span.Slice(_position, count);
        _position += count;
        return true;
    }
}
