namespace KubeTriage.Capture.Protocols.Http2;

/// <summary>
/// The HPACK dynamic table, RFC 7541 §2.3.2 and §4 (https://www.rfc-editor.org/rfc/rfc7541#section-4): a FIFO
/// of header fields, the newest at index 1. An entry's size is its name's and value's lengths plus 32 (§4.1);
/// adding an entry first evicts the oldest ones until it fits, and an entry larger than the maximum size
/// empties the table and is not added (§4.4); lowering the maximum evicts until the table fits (§4.3).
/// <para>
/// Memory is bounded by the maximum size: the entries' bytes sit one after the other, oldest first, in one
/// array of at most twice the maximum size (so that sliding them back to its start, when the newest reaches
/// its end, happens at most once per half an array of added bytes), and their positions in a ring of at
/// most maximum / 32 + 1 slots (every entry takes at least 32). Both arrays grow when needed, so that adding
/// allocates nothing once warmed up.
/// Spans handed out are valid until the next <see cref="Add"/> or <see cref="SetMaxSize"/>.
/// </para>
/// </summary>
internal sealed class HpackDynamicTable
{
    /// <summary>What each entry costs on top of its name and value (§4.1).</summary>
    public const int EntryOverhead = 32;

    private byte[] _bytes = [];
    private Entry[] _entries = [];
    private byte[] _aliasScratch = [];
    private int _oldest; // slot in _entries of the oldest entry
    private int _start; // where the oldest entry's bytes begin in _bytes
    private int _end; // where the newest entry's bytes end in _bytes

    public HpackDynamicTable(int maxSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxSize);
        MaxSize = maxSize;
    }

    public int MaxSize { get; private set; }

    /// <summary>The sum of the entries' sizes (§4.1).</summary>
    public int Size { get; private set; }

    public int Count { get; private set; }

    /// <summary>Sets the maximum size (§4.3), evicting the oldest entries until the table fits.</summary>
    public void SetMaxSize(int maxSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxSize);
        MaxSize = maxSize;
        while (Size > MaxSize)
        {
            EvictOldest();
        }
    }

    /// <summary>Adds a field as the newest entry (§4.4). The spans may point into this table.</summary>
    public void Add(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        var size = (long)name.Length + value.Length + EntryOverhead;
        if (size > MaxSize)
        {
            Clear();
            return;
        }

        if (name.Overlaps(_bytes) || value.Overlaps(_bytes))
        {
            // A name taken from an entry that eviction or the slide below may overwrite (§4.4): copy it first.
            var length = name.Length + value.Length;
            if (_aliasScratch.Length < length)
            {
                _aliasScratch = new byte[Math.Max(length, Math.Min(2 * _aliasScratch.Length, MaxSize))];
            }

            name.CopyTo(_aliasScratch);
            value.CopyTo(_aliasScratch.AsSpan(name.Length));
            name = _aliasScratch.AsSpan(0, name.Length);
            value = _aliasScratch.AsSpan(name.Length, value.Length);
        }

        while (Size + size > MaxSize)
        {
            EvictOldest();
        }

        var fieldLength = name.Length + value.Length;
        MakeRoom(fieldLength);
        name.CopyTo(_bytes.AsSpan(_end));
        value.CopyTo(_bytes.AsSpan(_end + name.Length));
        if (Count == _entries.Length)
        {
            GrowEntries();
        }

        _entries[(_oldest + Count) % _entries.Length] = new Entry(_end, name.Length, value.Length);
        _end += fieldLength;
        Count++;
        Size += (int)size;
    }

    /// <summary>The entry at <paramref name="index"/>, 1 being the newest (§2.3.3); false past the oldest.</summary>
    public bool TryGet(int index, out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        if (index < 1 || index > Count)
        {
            name = default;
            value = default;
            return false;
        }

        var entry = _entries[(_oldest + Count - index) % _entries.Length];
        name = _bytes.AsSpan(entry.Offset, entry.NameLength);
        value = _bytes.AsSpan(entry.Offset + entry.NameLength, entry.ValueLength);
        return true;
    }

    private void Clear()
    {
        Count = 0;
        Size = 0;
        _oldest = 0;
        _start = 0;
        _end = 0;
    }

    private void EvictOldest()
    {
        var entry = _entries[_oldest];
        Size -= entry.NameLength + entry.ValueLength + EntryOverhead;
        Count--;
        if (Count == 0)
        {
            Clear();
            return;
        }

        _oldest = (_oldest + 1) % _entries.Length;
        _start = entry.Offset + entry.NameLength + entry.ValueLength;
    }

    /// <summary>Makes <paramref name="length"/> bytes free at <c>_end</c>: slides the entries back to the start, or grows.</summary>
    private void MakeRoom(int length)
    {
        if (_end + length <= _bytes.Length)
        {
            return;
        }

        var live = _end - _start;
        var needed = live + length; // at most MaxSize, since the entries' sizes fit in it
        var target = _bytes;
        if (2 * needed > _bytes.Length)
        {
            var grown = Math.Max(Math.Max(2 * needed, 2 * _bytes.Length), 256);
            target = new byte[Math.Min(grown, Math.Max(2 * MaxSize, needed))];
        }

        _bytes.AsSpan(_start, live).CopyTo(target);
        _bytes = target;
        for (var i = 0; i < Count; i++)
        {
            ref var entry = ref _entries[(_oldest + i) % _entries.Length];
            entry = entry with { Offset = entry.Offset - _start };
        }

        _start = 0;
        _end = live;
    }

    private void GrowEntries()
    {
        var grown = new Entry[Math.Max(Count + 1, Math.Min(Math.Max(8, 2 * _entries.Length), MaxSize / EntryOverhead + 1))];
        for (var i = 0; i < Count; i++)
        {
            grown[i] = _entries[(_oldest + i) % _entries.Length];
        }

        _entries = grown;
        _oldest = 0;
    }

    private readonly record struct Entry(int Offset, int NameLength, int ValueLength);
}
