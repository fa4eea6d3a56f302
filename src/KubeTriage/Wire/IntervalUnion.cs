using System.Runtime.InteropServices;

namespace KubeTriage.Wire;

/// <summary>
/// The union of time intervals with bounded memory: how long someone spent waiting when waits overlap.
/// Intervals are kept sorted and disjoint; when more than <c>maxIntervals</c> remain, the oldest half is
/// folded into a settled total. Waits arrive in capture-time order per flow, so an interval that reaches
/// back past the settled part is rare; when it happens the overlap is counted twice (a small over-count,
/// never a lost wait).
/// </summary>
public sealed class IntervalUnion
{
    /// <summary>How far back from the newest interval a late wait's place is looked for one by one.</summary>
    private const int NearbyIntervals = 8;

    private readonly List<(long Start, long End)> _intervals = [];
    private readonly int _maxIntervals;
    private long _settledNs;
    private long _settledUntilNs = long.MinValue;

    public IntervalUnion(int maxIntervals = 1024)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxIntervals, 2);
        _maxIntervals = maxIntervals;
    }

    /// <summary>Number of waits added (overlapping or not).</summary>
    public long Count { get; private set; }

    /// <summary>Sum of the waits' own lengths, overlaps counted each time.</summary>
    public long SumNs { get; private set; }

    /// <summary>The longest single wait.</summary>
    public long MaxNs { get; private set; }

    /// <summary>Length of the union.</summary>
    public long TotalNs
    {
        get
        {
            var total = _settledNs;
            foreach (var (start, end) in _intervals)
            {
                total += end - start;
            }

            return total;
        }
    }

    public void Add(long startNs, long endNs)
    {
        if (endNs < startNs)
        {
            return;
        }

        Count++;
        var length = endNs - startNs;
        SumNs += length;
        MaxNs = Math.Max(MaxNs, length);
        if (length == 0)
        {
            return;
        }

        if (endNs <= _settledUntilNs)
        {
            // Entirely inside the settled past: counted as it is (see the class remarks).
            _settledNs += length;
            return;
        }

        startNs = Math.Max(startNs, _settledUntilNs);
        Insert(startNs, endNs);
        if (_intervals.Count > _maxIntervals)
        {
            Settle(_intervals.Count / 2);
        }
    }

    /// <summary>
    /// Adds every interval of another union (used to join several addresses of one pod). With
    /// <paramref name="countWaits"/> false the intervals widen the union without adding to the wait counts.
    /// </summary>
    public void AddAll(IntervalUnion other, bool countWaits = true)
    {
        _settledNs += other._settledNs;
        _settledUntilNs = Math.Max(_settledUntilNs, other._settledUntilNs);
        foreach (var (start, end) in other._intervals)
        {
            if (end > _settledUntilNs)
            {
                Insert(Math.Max(start, _settledUntilNs), end);
            }
        }

        if (countWaits)
        {
            Count += other.Count;
            SumNs += other.SumNs;
            MaxNs = Math.Max(MaxNs, other.MaxNs);
        }
        if (_intervals.Count > _maxIntervals)
        {
            Settle(_intervals.Count / 2);
        }
    }

    private void Insert(long start, long end)
    {
        // Waits mostly come in time order, so most touch only the last interval or none: no search, no move.
        var count = _intervals.Count;
        if (count == 0 || _intervals[count - 1].End < start)
        {
            _intervals.Add((start, end));
            return;
        }

        var (lastStart, lastEnd) = _intervals[count - 1];
        if (start >= lastStart)
        {
            _intervals[count - 1] = (lastStart, Math.Max(lastEnd, end));
            return;
        }

        // First interval that ends at or after the new start: everything before it stays as it is. A late wait
        // mostly reaches back a few intervals, so those are looked at first; the rest is searched.
        var intervals = CollectionsMarshal.AsSpan(_intervals);
        var first = intervals.Length;
        var near = Math.Max(0, first - NearbyIntervals);
        while (first > near && intervals[first - 1].End >= start)
        {
            first--;
        }

        if (first == near)
        {
            first = FirstEndingAtOrAfter(intervals[..near], start);
        }

        var last = first;
        while (last < intervals.Length && intervals[last].Start <= end)
        {
            start = Math.Min(start, intervals[last].Start);
            end = Math.Max(end, intervals[last].End);
            last++;
        }

        if (last == first)
        {
            _intervals.Insert(first, (start, end));
            return;
        }

        // The joined interval takes the place of the first one it covers; the others go.
        _intervals[first] = (start, end);
        if (last - first > 1)
        {
            _intervals.RemoveRange(first + 1, last - first - 1);
        }
    }

    private static int FirstEndingAtOrAfter(ReadOnlySpan<(long Start, long End)> intervals, long start)
    {
        var lo = 0;
        var hi = intervals.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (intervals[mid].End < start)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private void Settle(int count)
    {
        for (var i = 0; i < count; i++)
        {
            _settledNs += _intervals[i].End - _intervals[i].Start;
        }

        _settledUntilNs = _intervals[count - 1].End;
        _intervals.RemoveRange(0, count);
    }
}
