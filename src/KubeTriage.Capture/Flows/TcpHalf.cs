using System.Buffers;

namespace KubeTriage.Capture.Flows;

/// <summary>
/// One direction of a TCP connection: sequence tracking, counters, and the in-order delivery state
/// (bytes the dissector has not consumed yet, and a small set of segments that arrived ahead of a hole).
/// Buffers come from <see cref="ArrayPool{T}.Shared"/> and go back in <see cref="Reset"/>. A struct held
/// inline in its connection, so one packet touches one object.
/// </summary>
internal struct TcpHalf
{
    public bool SequenceKnown;
    public uint HighestEnd;
    public bool SynSeen;
    public uint InitialSequence;
    public bool FinSeen;
    public uint FinSequence;
    public long Packets;
    public long Bytes;
    public long DataSegments;
    public int Retransmissions;
    public int Copies;
    /// <summary>Copies of this direction's packets on a second interface (used only when the run has several).</summary>
    public DuplicateFilter CopyFilter;
    /// <summary>The zero windows this direction advertised, that is, stalls of the other direction's sending.</summary>
    public ZeroWindowTracker ZeroWindow;

    /// <summary>True once the dissector receives this direction's bytes from <see cref="NextSequence"/> on.</summary>
    public bool Delivering;
    /// <summary>Set after the snap length cut this direction: it is no longer delivered (one gap, not one per segment).</summary>
    public bool Cut;
    public uint NextSequence;

    private byte[]? _pending;
    private int _pendingLength;
    private Segment[]? _ahead;
    private int _aheadCount;
    private int _aheadBytes;

    public readonly int PendingLength => _pendingLength;

    public readonly ReadOnlySpan<byte> Pending => _pending.AsSpan(0, _pendingLength);

    public readonly int AheadCount => _aheadCount;

    public readonly int AheadBytes => _aheadBytes;

    /// <summary>Appends unconsumed bytes; false when that would pass <paramref name="cap"/>.</summary>
    public bool TryAppendPending(ReadOnlySpan<byte> bytes, int cap)
    {
        int needed = _pendingLength + bytes.Length;
        if (needed > cap)
        {
            return false;
        }

        if (_pending is null || _pending.Length < needed)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, 4096));
            Pending.CopyTo(larger);
            if (_pending is not null)
            {
                ArrayPool<byte>.Shared.Return(_pending);
            }

            _pending = larger;
        }

        bytes.CopyTo(_pending.AsSpan(_pendingLength));
        _pendingLength = needed;
        return true;
    }

    /// <summary>Drops the first <paramref name="count"/> pending bytes (the dissector consumed them).</summary>
    public void ConsumePending(int count)
    {
        if (count >= _pendingLength)
        {
            ClearPending();
            return;
        }

        _pending.AsSpan(count, _pendingLength - count).CopyTo(_pending);
        _pendingLength -= count;
    }

    public void ClearPending()
    {
        _pendingLength = 0;
        if (_pending is not null)
        {
            ArrayPool<byte>.Shared.Return(_pending);
            _pending = null;
        }
    }

    /// <summary>Keeps a copy of a segment that arrived ahead of a hole, with its time and frame; false when the limits are reached.</summary>
    public bool TryHoldAhead(uint sequence, ReadOnlySpan<byte> data, long timeNs, long frame, int maxSegments, int maxBytes)
    {
        if (_aheadCount >= maxSegments || _aheadBytes + data.Length > maxBytes)
        {
            return false;
        }

        _ahead ??= new Segment[maxSegments];
        var copy = ArrayPool<byte>.Shared.Rent(Math.Max(data.Length, 1));
        data.CopyTo(copy);
        _ahead[_aheadCount++] = new Segment(sequence, copy, data.Length, timeNs, frame);
        _aheadBytes += data.Length;
        return true;
    }

    /// <summary>Takes the held segment with the lowest sequence number, if any.</summary>
    public bool TryTakeLowestAhead(out uint sequence, out byte[] data, out int length, out long timeNs, out long frame)
    {
        sequence = 0;
        data = [];
        length = 0;
        timeNs = 0;
        frame = 0;
        if (_aheadCount == 0)
        {
            return false;
        }

        int lowest = 0;
        for (int i = 1; i < _aheadCount; i++)
        {
            if (SequenceNumber.Before(_ahead![i].Sequence, _ahead[lowest].Sequence))
            {
                lowest = i;
            }
        }

        var segment = _ahead![lowest];
        _ahead[lowest] = _ahead[--_aheadCount];
        _ahead[_aheadCount] = default;
        _aheadBytes -= segment.Length;
        sequence = segment.Sequence;
        data = segment.Data;
        length = segment.Length;
        timeNs = segment.TimeNs;
        frame = segment.Frame;
        return true;
    }

    /// <summary>The lowest held sequence number, when a segment is held.</summary>
    public bool TryPeekLowestAhead(out uint sequence)
    {
        sequence = 0;
        if (_aheadCount == 0)
        {
            return false;
        }

        sequence = _ahead![0].Sequence;
        for (int i = 1; i < _aheadCount; i++)
        {
            if (SequenceNumber.Before(_ahead[i].Sequence, sequence))
            {
                sequence = _ahead[i].Sequence;
            }
        }

        return true;
    }

    public void ClearAhead()
    {
        while (TryTakeLowestAhead(out _, out var data, out _, out _, out _))
        {
            ArrayPool<byte>.Shared.Return(data);
        }
    }

    public void Reset()
    {
        ClearPending();
        ClearAhead();
        _ahead = null;
        SequenceKnown = false;
        HighestEnd = 0;
        SynSeen = false;
        InitialSequence = 0;
        FinSeen = false;
        FinSequence = 0;
        Packets = 0;
        Bytes = 0;
        DataSegments = 0;
        Retransmissions = 0;
        Copies = 0;
        CopyFilter.Clear();
        ZeroWindow.Reset();
        Delivering = false;
        Cut = false;
        NextSequence = 0;
    }

    private readonly record struct Segment(uint Sequence, byte[] Data, int Length, long TimeNs, long Frame);
}
