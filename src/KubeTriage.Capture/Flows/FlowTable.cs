namespace KubeTriage.Capture.Flows;

/// <summary>
/// Live flows of one transport by key, with a pool of finished flow objects so a long capture with
/// millions of short connections reuses a bounded set of instances.
/// </summary>
internal sealed class FlowTable<T>
    where T : FlowState, new()
{
    private const int MaxPooled = 4096;

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
        if (_pool.Count < MaxPooled)
        {
            _pool.Push(flow);
        }
    }

    /// <summary>Every live flow, in a deterministic order: first packet time, file, frame, then key.</summary>
    public List<T> SortedFlows(Comparison<T> comparison)
    {
        var list = new List<T>(_flows.Values);
        list.Sort(comparison);
        return list;
    }
}
