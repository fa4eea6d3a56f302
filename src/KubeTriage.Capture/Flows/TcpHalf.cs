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
    /// <summary>Segments with payload sent again: data the network lost (a repeated SYN is a connect attempt, a repeated FIN the close).</summary>
    public int DataRetransmissions;
    public long FirstDataRetransmissionNs;
    public long FirstDataRetransmissionFrame;
    public long LastDataRetransmissionNs;
    public int Copies;
    /// <summary>The interface (plus one; 0 before any data) of the last segment that moved <see cref="HighestEnd"/> on.</summary>
    public int AdvancedOnPlusOne;
    /// <summary>Copies of this direction's packets on a second interface (used only when the run has several).</summary>
    public DuplicateFilter CopyFilter;
    /// <summary>The zero windows this direction advertised, that is, stalls of the other direction's sending.</summary>
    public ZeroWindowTracker ZeroWindow;
    /// <summary>The segment this direction sent again most often at one sequence number, and the largest the peer acknowledged.</summary>
    public StalledSegmentTracker Stall;

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

    /// <summary>
    /// True for data ending at or before the highest byte seen when the bytes that took the stream there came in on
    /// another interface: the same segment captured on a second interface of the node, late. Only a repeat on the
    /// interface that carries the stream is data sent again (its copy on the other interface is then the late one).
    /// </summary>
    public readonly bool IsLateCopy(uint end, int interfaceId) =>
        SequenceKnown && AdvancedOnPlusOne != 0 && AdvancedOnPlusOne != interfaceId + 1 && SequenceNumber.AtOrBefore(end, HighestEnd);

    /// <summary>Counts a segment with payload this direction sent again.</summary>
    public void OnDataRetransmission(uint sequence, int length, long timeNs, long frame)
    {
        Retransmissions++;
        Stall.OnResend(sequence, length, timeNs, frame);
        if (DataRetransmissions++ == 0)
        {
            FirstDataRetransmissionNs = timeNs;
            FirstDataRetransmissionFrame = frame;
        }

        LastDataRetransmissionNs = timeNs;
    }

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
        DataRetransmissions = 0;
        FirstDataRetransmissionNs = 0;
        FirstDataRetransmissionFrame = 0;
        LastDataRetransmissionNs = 0;
        Copies = 0;
        AdvancedOnPlusOne = 0;
        CopyFilter.Clear();
        ZeroWindow.Reset();
        Stall.Reset();
        Delivering = false;
        Cut = false;
        NextSequence = 0;
    }

    private readonly record struct Segment(uint Sequence, byte[] Data, int Length, long TimeNs, long Frame);
}
