namespace KubeTriage.Capture.Flows;

/// <summary>The interface ids a flow was seen on: usually one or two, so the first two live inline.</summary>
internal struct InterfaceSet
{
    /// <summary>Shared one-element lists for the first interface ids: almost every flow is seen on one interface.</summary>
    private static readonly IReadOnlyList<int>[] Singles = [.. Enumerable.Range(0, 64).Select(id => (IReadOnlyList<int>)Array.AsReadOnly(new[] { id }))];

    private int _first;
    private int _second;
    private int _count;
    private List<int>? _more;

    public void Add(int id)
    {
        if ((_count > 0 && _first == id) || (_count > 1 && _second == id))
        {
            return;
        }

        switch (_count)
        {
            case 0:
                _first = id;
                _count = 1;
                return;
            case 1:
                _second = id;
                _count = 2;
                return;
        }

        _more ??= [];
        if (!_more.Contains(id))
        {
            _more.Add(id);
        }
    }

    public void Clear()
    {
        _count = 0;
        _more = null;
    }

    /// <summary>The ids in ascending order, as one exact-size list.</summary>
    public readonly IReadOnlyList<int> ToList()
    {
        if (_count == 0)
        {
            return [];
        }

        if (_count == 1)
        {
            return Single(_first);
        }

        var ids = new int[2 + (_more?.Count ?? 0)];
        ids[0] = _first;
        ids[1] = _second;
        _more?.CopyTo(ids, 2);
        Array.Sort(ids);
        return ids;
    }

    private static IReadOnlyList<int> Single(int id) => (uint)id < (uint)Singles.Length ? Singles[id] : Array.AsReadOnly(new[] { id });
}
