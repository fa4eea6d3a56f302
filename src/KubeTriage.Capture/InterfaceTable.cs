using KubeTriage.Capture.Files;

namespace KubeTriage.Capture;

/// <summary>
/// Numbers interfaces uniquely across all files of a run and announces each once to the sink.
/// A Linux cooked v2 interface is split by the interface index each packet carries and named
/// <c>&lt;file&gt;#&lt;name&gt;</c> when <see cref="CaptureOptions.InterfaceNames"/> knows the index, else
/// <c>&lt;file&gt;#if&lt;index&gt;</c>, since the capture itself does not record interface names. The file stays in
/// the name: the same NIC captured on its own (<c>eth0.pcap</c>) holds the same packets and is another vantage point.
/// </summary>
internal sealed class InterfaceTable(ICaptureSink sink, Flows.FlowContext context)
{
    private readonly List<Slot> _slots = [];
    private readonly Dictionary<(int Slot, int Index), int> _byLinkIndex = [];
    private int _nextId;
    private int _lastSlot = -1;
    private int _lastIndex = -1;
    private int _lastId = -1;

    /// <summary>Registers one declared interface (a pcap file, a pcapng interface block, a live device); returns its slot.</summary>
    public int AddSlot(string filePath, string name, LinkType linkType)
    {
        int id = -1;
        if (linkType != LinkType.LinuxSll2)
        {
            id = _nextId++;
            sink.OnInterface(new CaptureInterface(id, name, filePath, linkType));
        }

        _slots.Add(new Slot(filePath, name, linkType, id));
        context.MayHaveCopies |= linkType == LinkType.LinuxSll2 || _slots.Count > 1;
        return _slots.Count - 1;
    }

    public LinkType LinkTypeOf(int slot) => _slots[slot].LinkType;

    /// <summary>The interface id of a packet: the slot's own, or for cooked v2 the one for its interface index.</summary>
    public int Resolve(int slot, int linkInterfaceIndex)
    {
        int id = _slots[slot].Id;
        return id >= 0 ? id : ResolveIndexed(slot, Math.Max(0, linkInterfaceIndex));
    }

    private int ResolveIndexed(int slot, int index)
    {
        if (slot == _lastSlot && index == _lastIndex)
        {
            return _lastId;
        }

        if (!_byLinkIndex.TryGetValue((slot, index), out int id))
        {
            var entry = _slots[slot];
            id = _nextId++;
            _byLinkIndex[(slot, index)] = id;
            var name = context.Options.InterfaceNames is { } names && names.TryGetValue(index, out var known)
                ? $"{entry.Name}#{known}"
                : $"{entry.Name}#if{index}";
            sink.OnInterface(new CaptureInterface(id, name, entry.FilePath, entry.LinkType));
        }

        _lastSlot = slot;
        _lastIndex = index;
        _lastId = id;
        return id;
    }

    private readonly record struct Slot(string FilePath, string Name, LinkType LinkType, int Id);
}
