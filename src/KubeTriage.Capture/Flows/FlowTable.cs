namespace KubeTriage.Capture.Flows;

/// <summary>
/// Live flows of one transport by key, with a pool of finished flow objects so a long capture with
/// millions of short connections reuses a bounded set of instances.
/// </summary>
internal sealed class FlowTable<T>
    where T : FlowState, new()
{
    private const int MaxPooled = 1 << 16;

    private readonly Dictionary<FlowKey, T> _flows = new(1024);
    private readonly Stack<T> _pool = new();

    public int Count => _flows.Count;

    public bool TryGet(in FlowKey key, out T flow) => _flows.TryGetValue(key, out flow!);

    public T Add(in FlowKey key)
    {
        var flow = _pool.Count > 0 ? _pool.Pop() : new T();
        _flows[key] = flow;
        return flow;
    }

    /// <summary>Forgets the flow (the caller has reported and reset it) and keeps the instance for reuse.</summary>
    public void Remove(T flow)
    {
        _ = _flows.Remove(flow.Key);
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
        var flows = new T[_flows.Count];
        var keys = new SortKey[_flows.Count];
        int i = 0;
        foreach (var flow in _flows.Values)
        {
            flows[i] = flow;
            keys[i] = new SortKey(flow.FirstTimeNs, flow.FirstFrame, flow.Key);
            i++;
        }

        Array.Sort(keys, flows);
        return flows;
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
