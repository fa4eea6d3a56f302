using System.Runtime.CompilerServices;

namespace KubeTriage.Capture.Flows;

/// <summary>
/// Live flows of one transport by key: an open-addressing index (linear probing, at most half full) of
/// 8-byte entries holding the key's hash and a slot number, over an array of flow objects. A lookup
/// touches the small index and then the flow itself, whose key it compares; with hundreds of thousands
/// of live flows this avoids the cache and TLB misses of a dictionary's large entry array. Finished flow
/// objects are pooled, so a long capture with millions of short connections reuses a bounded set.
/// </summary>
internal sealed class FlowTable<T>
    where T : FlowState, new()
{
    private const int MaxPooled = 1 << 16;

    private readonly Stack<T> _pool = new();
    private readonly Stack<int> _freeSlots = new();
    private long[] _index = new long[1024];
    private T?[] _slots = new T?[512];
    private int _usedSlots;

    public int Count { get; private set; }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryGet(in FlowKey key, out T flow)
    {
        int hash = key.GetHashCode();
        int mask = _index.Length - 1;
        for (int i = hash & mask; ; i = (i + 1) & mask)
        {
            long entry = _index[i];
            if (entry == 0)
            {
                flow = null!;
                return false;
            }

            if ((int)(entry >> 32) == hash)
            {
                var candidate = _slots[(int)entry - 1]!;
                if (candidate.Key.Equals(key))
                {
                    flow = candidate;
                    return true;
                }
            }
        }
    }

    /// <summary>Adds a flow for a key that is not present (the caller looked it up first).</summary>
    public T Add(in FlowKey key)
    {
        if ((Count + 1) * 2 > _index.Length)
        {
            Grow();
        }

        var flow = _pool.Count > 0 ? _pool.Pop() : new T();
        flow.Key = key;
        int slot = _freeSlots.Count > 0 ? _freeSlots.Pop() : NewSlot();
        _slots[slot] = flow;
        flow.Slot = slot;
        Insert(key.GetHashCode(), slot);
        Count++;
        return flow;
    }

    /// <summary>Forgets the flow (the caller has reported and reset it) and keeps the instance for reuse.</summary>
    public void Remove(T flow)
    {
        int hash = flow.Key.GetHashCode();
        int mask = _index.Length - 1;
        long wanted = ((long)hash << 32) | (uint)(flow.Slot + 1);
        int i = hash & mask;
        while (_index[i] != wanted)
        {
            if (_index[i] == 0)
            {
                return;
            }

            i = (i + 1) & mask;
        }

        DeleteAt(i);
        _slots[flow.Slot] = null;
        _freeSlots.Push(flow.Slot);
        Count--;
        flow.Generation++;
        if (_pool.Count < MaxPooled)
        {
            _pool.Push(flow);
        }
    }

    /// <summary>
    /// Every live flow in a deterministic order: first packet time, first frame, then key. Sorted on a
    /// copy of the keys (no pointer chasing per comparison), which matters with a million live flows.
    /// </summary>
    public T[] SortedFlows()
    {
        var flows = new T[Count];
        var keys = new SortKey[Count];
        int n = 0;
        for (int i = 0; i < _usedSlots; i++)
        {
            if (_slots[i] is { } flow)
            {
                flows[n] = flow;
                keys[n] = new SortKey(flow.FirstTimeNs, flow.FirstFrame, flow.Key);
                n++;
            }
        }

        Array.Sort(keys, flows);
        return flows;
    }

    private int NewSlot()
    {
        if (_usedSlots == _slots.Length)
        {
            Array.Resize(ref _slots, _slots.Length * 2);
        }

        return _usedSlots++;
    }

    private void Insert(int hash, int slot)
    {
        int mask = _index.Length - 1;
        int i = hash & mask;
        while (_index[i] != 0)
        {
            i = (i + 1) & mask;
        }

        _index[i] = ((long)hash << 32) | (uint)(slot + 1);
    }

    /// <summary>Backward-shift deletion: keeps every probe chain unbroken without tombstones.</summary>
    private void DeleteAt(int hole)
    {
        int mask = _index.Length - 1;
        int i = hole;
        while (true)
        {
            i = (i + 1) & mask;
            long entry = _index[i];
            if (entry == 0)
            {
                break;
            }

            int home = (int)(entry >> 32) & mask;
            // Move the entry back into the hole unless its home lies cyclically in (hole, i].
            bool stays = hole <= i ? home > hole && home <= i : home > hole || home <= i;
            if (!stays)
            {
                _index[hole] = entry;
                hole = i;
            }
        }

        _index[hole] = 0;
    }

    private void Grow()
    {
        var old = _index;
        _index = new long[old.Length * 2];
        foreach (long entry in old)
        {
            if (entry != 0)
            {
                Insert((int)(entry >> 32), (int)entry - 1);
            }
        }
    }

    private readonly struct SortKey(long firstTimeNs, long firstFrame, FlowKey key) : IComparable<SortKey>
    {
        private readonly long _firstTimeNs = firstTimeNs;
        private readonly long _firstFrame = firstFrame;
        private readonly FlowKey _key = key;

        public int CompareTo(SortKey other)
        {
            int c = _firstTimeNs.CompareTo(other._firstTimeNs);
            if (c == 0)
            {
                c = _firstFrame.CompareTo(other._firstFrame);
            }

            return c != 0 ? c : _key.CompareTo(in other._key);
        }
    }
}
