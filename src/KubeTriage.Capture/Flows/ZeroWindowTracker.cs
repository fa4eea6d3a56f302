namespace KubeTriage.Capture.Flows;

/// <summary>
/// Times the zero-window stalls of one direction's advertised window (<see cref="TcpZeroWindow"/>). A struct held
/// inline in <see cref="TcpHalf"/>: a segment with a non-zero window while no stall is open costs one branch.
/// </summary>
internal struct ZeroWindowTracker
{
    private int _segments;
    private int _stalls;
    private int _probes;
    private long _stalledNs;
    private long _startNs;
    private long _startFrame;
    private long _longestNs;
    private long _longestStartNs;
    private long _longestFrame;
    private bool _longestUnresolved;
    private bool _openAtEnd;

    /// <summary>True while this side's last advertised window was zero.</summary>
    public bool Stalled { get; private set; }

    /// <summary>A segment from this side, other than SYN, FIN or RST, advertising <paramref name="window"/>.</summary>
    public void OnWindow(ushort window, long timeNs, long frame)
    {
        if (window == 0)
        {
            _segments++;
            if (!Stalled)
            {
                Stalled = true;
                _stalls++;
                _startNs = timeNs;
                _startFrame = frame;
            }
        }
        else if (Stalled)
        {
            End(timeNs, unresolved: false);
        }
    }

    /// <summary>The peer probed the closed window.</summary>
    public void OnProbe() => _probes++;

    /// <summary>The connection ends (reset, or its last packet) while the window is still zero.</summary>
    public void EndUnresolved(long timeNs)
    {
        if (Stalled)
        {
            End(timeNs, unresolved: true);
        }
    }

    public readonly TcpZeroWindow ToRecord() => new()
    {
        Segments = _segments,
        Stalls = _stalls,
        Probes = _probes,
        StalledNs = _stalledNs,
        LongestStallNs = _longestNs,
        LongestStallStartNs = _longestStartNs,
        LongestStallFrame = _longestFrame,
        LongestStallUnresolved = _longestUnresolved,
        OpenAtEnd = _openAtEnd,
    };

    public void Reset() => this = default;

    private void End(long timeNs, bool unresolved)
    {
        // Captures merged from several files can step back in time: a stall is never negative.
        var duration = Math.Max(0, timeNs - _startNs);
        _stalledNs += duration;
        if (_stalls == 1 || duration > _longestNs)
        {
            _longestNs = duration;
            _longestStartNs = _startNs;
            _longestFrame = _startFrame;
            _longestUnresolved = unresolved;
        }

        _openAtEnd = unresolved;
        Stalled = false;
    }
}
