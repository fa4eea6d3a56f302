namespace KubeTriage.Node.Live;

/// <summary>
/// Puts the packets of several capture threads back in time order. Each interface's thread hands its packets over
/// as libpcap delivers them, so one interface's burst can arrive before another's packets of the same moment (the
/// NIC's copy of a segment after the veth's copies of later ones). Every item is held until an item at least
/// <c>windowNs</c> newer (in packet time) has arrived, then released oldest first; what is still held at the end
/// is drained in order. An item that arrives later than the window allows is released at once, out of order.
/// At most <c>maxHeld</c> items are held: past that the oldest goes out early, so a busy link cannot pile up
/// 200 ms of packets in memory.
/// </summary>
internal sealed class TimeOrderWindow<T>(long windowNs, int maxHeld)
{
    private readonly PriorityQueue<T, (long TimeNs, long Sequence)> _held = new();
    private long _newestNs = long.MinValue;
    private long _sequence;

    public int Count => _held.Count;

    public void Add(T item, long timeNs)
    {
        _held.Enqueue(item, (timeNs, _sequence++));
        if (timeNs > _newestNs)
        {
            _newestNs = timeNs;
        }
    }

    /// <summary>The oldest item held, when it is at least the window older than the newest one seen, or too many are held.</summary>
    public bool TryRelease(out T item)
    {
        if (_held.TryPeek(out item!, out var key) && (key.TimeNs <= _newestNs - windowNs || _held.Count > maxHeld))
        {
            _held.Dequeue();
            return true;
        }

        item = default!;
        return false;
    }

    /// <summary>The oldest item held, whatever its age (at the end of the capture).</summary>
    public bool TryDrain(out T item) => _held.TryDequeue(out item!, out _);
}
