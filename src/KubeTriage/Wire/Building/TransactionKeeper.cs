namespace KubeTriage.Wire.Building;

/// <summary>
/// Keeps transactions with bounded memory: every one while there are at most <c>keepAll</c>; past that, the
/// failures (up to <c>keepFailures</c>) and the <c>keepSlowest</c> slowest of the rest. <see cref="Seen"/>
/// counts them all.
/// </summary>
internal sealed class TransactionKeeper<T>(
    int keepAll,
    int keepFailures,
    int keepSlowest,
    Func<T, bool> isFailure,
    Func<T, long> latencyNs,
    Func<T, long> timeNs)
{
    private readonly List<T> _all = [];
    private readonly List<T> _failures = [];
    private readonly PriorityQueue<T, long> _slowest = new();
    private bool _overflowed;

    public long Seen { get; private set; }

    public void Add(T item)
    {
        Seen++;
        if (!_overflowed)
        {
            _all.Add(item);
            if (_all.Count > keepAll)
            {
                _overflowed = true;
                foreach (var kept in _all)
                {
                    Place(kept);
                }

                _all.Clear();
                _all.TrimExcess();
            }

            return;
        }

        Place(item);
    }

    public IReadOnlyList<T> Kept()
    {
        IEnumerable<T> kept = _overflowed ? _failures.Concat(_slowest.UnorderedItems.Select(e => e.Element)) : _all;
        return kept.OrderBy(timeNs).ToList();
    }

    public RetentionCount Count() => new(Seen, _overflowed ? _failures.Count + _slowest.Count : _all.Count);

    private void Place(T item)
    {
        if (isFailure(item))
        {
            if (_failures.Count < keepFailures)
            {
                _failures.Add(item);
            }

            return;
        }

        if (keepSlowest <= 0)
        {
            return;
        }

        var latency = latencyNs(item);
        if (_slowest.Count < keepSlowest)
        {
            _slowest.Enqueue(item, latency);
        }
        else if (_slowest.TryPeek(out _, out var fastest) && latency > fastest)
        {
            _slowest.DequeueEnqueue(item, latency);
        }
    }
}
