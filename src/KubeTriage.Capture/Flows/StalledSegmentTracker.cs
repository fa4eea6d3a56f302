using System.Runtime.CompilerServices;

namespace KubeTriage.Capture.Flows;

/// <summary>
/// Follows one direction's segments sent again at the same sequence number (<see cref="TcpStalledSegment"/>) and the
/// largest segment the receiver acknowledged. A struct held inline in <see cref="TcpHalf"/>, small on purpose: new
/// data costs one comparison, an acknowledgment two; the runs of resends live in an object only a direction that
/// sent data again allocates.
/// </summary>
internal struct StalledSegmentTracker
{
    // The largest segment sent and not acknowledged yet: when an acknowledgment covers its end, its length was delivered.
    private uint _outstandingEnd;
    private int _outstandingLength;
    private int _largestAcknowledged;
    private bool _open;
    private uint _sequence;
    private Runs? _runs;

    /// <summary>New data (it moved the highest sequence on): <paramref name="end"/> is one past its last byte.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void OnNewData(uint end, int length)
    {
        if (length > _outstandingLength)
        {
            _outstandingEnd = end;
            _outstandingLength = length;
        }
    }

    /// <summary>The receiver's acknowledgment number.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void OnAcknowledgment(uint acknowledgment)
    {
        if (_outstandingLength != 0 && SequenceNumber.AtOrBefore(_outstandingEnd, acknowledgment))
        {
            if (_outstandingLength > _largestAcknowledged)
            {
                _largestAcknowledged = _outstandingLength;
            }

            _outstandingLength = 0;
        }

        if (_open && SequenceNumber.Before(_sequence, acknowledgment))
        {
            CloseAcknowledged();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void CloseAcknowledged()
    {
        _open = false;
        _runs!.Close(acknowledged: true);
    }

    /// <summary>A segment with payload sent again, starting at <paramref name="sequence"/>.</summary>
    public void OnResend(uint sequence, int length, long timeNs, long frame)
    {
        var runs = _runs ??= new Runs();
        if (_open && sequence == _sequence)
        {
            runs.Again(length, timeNs);
            return;
        }

        if (_open)
        {
            runs.Close(acknowledged: false);
        }

        _open = true;
        _sequence = sequence;
        runs.Open(sequence, length, timeNs, frame, _largestAcknowledged);
    }

    /// <summary>The segment sent again most often, or null when no segment was sent again <see cref="TcpStalledSegment.MinResends"/> times.</summary>
    public TcpStalledSegment? ToRecord()
    {
        if (_open)
        {
            _open = false;
            _runs!.Close(acknowledged: false);
        }

        return _runs?.Worst;
    }

    public void Reset() => this = default;

    /// <summary>The run of resends at one sequence number now open, and the worst one closed.</summary>
    private sealed class Runs
    {
        private uint _sequence;
        private int _resends;
        private int _length;
        private int _lastLength;
        private long _firstNs;
        private long _firstFrame;
        private long _lastNs;
        private int _acknowledgedBefore;

        public TcpStalledSegment? Worst { get; private set; }

        public void Open(uint sequence, int length, long timeNs, long frame, int acknowledgedBefore)
        {
            _sequence = sequence;
            _resends = 1;
            _length = length;
            _lastLength = length;
            _firstNs = timeNs;
            _firstFrame = frame;
            _lastNs = timeNs;
            _acknowledgedBefore = acknowledgedBefore;
        }

        public void Again(int length, long timeNs)
        {
            _resends++;
            _lastNs = timeNs;
            _lastLength = length;
            if (length > _length)
            {
                _length = length;
            }
        }

        /// <summary>
        /// Keeps the run when it was sent again at least <see cref="TcpStalledSegment.MinResends"/> times and more often than
        /// the worst so far; with as many resends, one with the black hole's shape replaces one without it.
        /// </summary>
        public void Close(bool acknowledged)
        {
            if (_resends < TcpStalledSegment.MinResends)
            {
                return;
            }

            var run = new TcpStalledSegment
            {
                Sequence = _sequence,
                Resends = _resends,
                Length = _length,
                LastLength = _lastLength,
                FirstResendNs = _firstNs,
                FirstResendFrame = _firstFrame,
                LastResendNs = _lastNs,
                Acknowledged = acknowledged,
                LargestAcknowledgedBefore = _acknowledgedBefore,
            };
            if (Worst is not { } worst || run.Resends > worst.Resends
                || (run.Resends == worst.Resends && run.LooksLikeBlackHole && !worst.LooksLikeBlackHole))
            {
                Worst = run;
            }
        }
    }
}
