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
/// Spans handed out are valid until the next <see cref="Add"/>, <see cref="AddNameless"/>,
/// <see cref="SetMaxSize"/> or <see cref="MarkAllUnknown"/>.
/// </para>
/// <para>
/// A decoder that joins a connection mid-stream, or loses a header block, does not know the older entries.
/// Entries are added at the front and evicted from the back (§2.3.3, §4.4), so the ones it learns afterwards are
/// always the newest, contiguous from index 1: this table holds those (<see cref="Count"/> and <see cref="Size"/>
/// are theirs), and <see cref="HasUnknownTail"/> says that older entries it never saw may follow them. Those are
/// the first evicted; a known entry goes only when the known entries alone overflow the maximum size, exactly as
/// in a fully known table. A maximum size not set by a size update (§6.3) since the tail appeared is only assumed
/// (<see cref="MaxSizeExact"/>): too large, the table keeps entries the encoder has evicted, which a valid encoder
/// never names again; too small, it evicts entries the encoder still has, which then count as unknown. Either way
/// a known index names the right entry, so the tail is taken to be gone only when an exact maximum leaves no room
/// for it.
/// </para>
/// <para>
/// An entry added by a literal whose name is an unknown entry's (§6.2.1) is held as a nameless placeholder
/// (<see cref="AddNameless"/>): its value's length is known, its name's is not, so it is counted at the least it
/// can take, an empty name's, value length + 32. It keeps every index exact, and the known entries older than it
/// stay known. <see cref="Size"/> is then at most the encoder's size of the same entries, never more: this table
/// evicts an entry only when the encoder has evicted it too (§4.3, §4.4: the encoder evicts as soon as its larger
/// sizes overflow the same maximum), possibly later, so it may still hold entries the encoder has dropped, past the
/// encoder's newest ones. A valid encoder never names an entry it has dropped, so those extra entries are never
/// asked for; every index up to the encoder's count names the same entry here, a placeholder or the very field.
/// Hence no field is ever wrong: a placeholder is reported as such (<see cref="IsNameless"/>), never as a field.
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

    /// <param name="maxSize">The maximum size (§4.2): exact when <paramref name="known"/>, assumed otherwise.</param>
    /// <param name="known">False to start with an unknown tail and no known entry, as when joining mid-stream.</param>
    public HpackDynamicTable(int maxSize, bool known = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxSize);
        MaxSize = maxSize;
        HasUnknownTail = !known;
        MaxSizeExact = known;
    }

    public int MaxSize { get; private set; }

    /// <summary>
    /// The sum of the held entries' sizes (§4.1), a nameless one's counted at its least (value length + 32): exact
    /// without nameless entries, at most the encoder's size of the same entries otherwise.
    /// </summary>
    public int Size { get; private set; }

    /// <summary>
    /// How many entries are held, the newest ones, nameless ones included; more may follow when
    /// <see cref="HasUnknownTail"/>.
    /// </summary>
    public int Count { get; private set; }

    /// <summary>How many of the held entries are nameless placeholders (<see cref="AddNameless"/>).</summary>
    public int NamelessCount { get; private set; }

    /// <summary>Entries older than the known ones, never seen, may be in the encoder's table.</summary>
    public bool HasUnknownTail { get; private set; }

    /// <summary>
    /// <see cref="MaxSize"/> is the encoder's for sure: given for a table known from its start, or set by a size
    /// update (§6.3) since; false when it is only assumed (a table started unknown, or after <see cref="MarkAllUnknown"/>).
    /// </summary>
    public bool MaxSizeExact { get; private set; }

    /// <summary>
    /// A dynamic table size update (§6.3, §4.3): sets the maximum size, exactly from now on, evicting the oldest
    /// entries until the table fits by this table's sizes. The encoder, whose sizes are never smaller, evicts at least
    /// as many: what it keeps is held here. The unknown tail goes first, and is gone for sure once the held entries
    /// leave no room for even one more (every entry takes at least 32): a new maximum of 0 leaves the table known
    /// and empty.
    /// </summary>
    public void SetMaxSize(int maxSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxSize);
        MaxSize = maxSize;
        MaxSizeExact = true;
        while (Size > MaxSize)
        {
            EvictOldest();
        }

        EndTailIfNoRoom();
    }

    /// <summary>
    /// Every entry becomes part of the unknown tail, and the maximum size only assumed: for after a lost header
    /// block, which may have added entries or held a size update.
    /// </summary>
    public void MarkAllUnknown()
    {
        Clear();
        HasUnknownTail = true;
        MaxSizeExact = false;
    }

    /// <summary>
    /// Adds an entry whose name is an unknown entry's (a literal with incremental indexing naming an index in the
    /// unknown tail or a nameless entry, §6.2.1) as a nameless placeholder, counted at the least it can take,
    /// <paramref name="valueLength"/> + 32 (the name may be empty), evicting as <see cref="Add"/> does. Every index
    /// stays exact and older known entries stay known; no field is ever wrong (see the class's remarks). Above an
    /// exact maximum its true size is too: the encoder empties its table and does not add it (§4.4), nor does this.
    /// </summary>
    public void AddNameless(int valueLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(valueLength);
        var size = (long)valueLength + EntryOverhead;
        if (!EvictFor(size))
        {
            return;
        }

        Append(new Entry(_end, 0, valueLength, Nameless: true), (int)size);
        NamelessCount++;
    }

    /// <summary>Adds a field as the newest entry (§4.4). The spans may point into this table.</summary>
    public void Add(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        var size = (long)name.Length + value.Length + EntryOverhead;
        if (size > MaxSize)
        {
            EvictFor(size); // empties the table (§4.4)
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

        EvictFor(size);
        var fieldLength = name.Length + value.Length;
        MakeRoom(fieldLength);
        name.CopyTo(_bytes.AsSpan(_end));
        value.CopyTo(_bytes.AsSpan(_end + name.Length));
        Append(new Entry(_end, name.Length, value.Length, Nameless: false), (int)size);
    }

    /// <summary>
    /// The entry at <paramref name="index"/>, 1 being the newest (§2.3.3); false past the oldest held, or for a
    /// nameless one (<see cref="IsNameless"/>).
    /// </summary>
    public bool TryGet(int index, out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        if (index < 1 || index > Count || EntryAt(index).Nameless)
        {
            name = default;
            value = default;
            return false;
        }

        var entry = EntryAt(index);
        name = _bytes.AsSpan(entry.Offset, entry.NameLength);
        value = _bytes.AsSpan(entry.Offset + entry.NameLength, entry.ValueLength);
        return true;
    }

    /// <summary>The entry at <paramref name="index"/> is held and is a nameless placeholder: its field is unknown.</summary>
    public bool IsNameless(int index) => index >= 1 && index <= Count && EntryAt(index).Nameless;

    private Entry EntryAt(int index) => _entries[(_oldest + Count - index) % _entries.Length];

    /// <summary>
    /// Evicts the oldest entries until <paramref name="size"/> more fit (§4.4); false when it cannot fit at all, the
    /// table then emptied. Under an assumed maximum the encoder may have kept it, and older entries with it: the tail
    /// stays. Under an exact one the encoder's size of the entry, never less than <paramref name="size"/>, is too
    /// large as well: it has emptied its table, which is known.
    /// </summary>
    private bool EvictFor(long size)
    {
        if (size > MaxSize)
        {
            Clear();
            HasUnknownTail &= !MaxSizeExact;
            return false;
        }

        while (Size + size > MaxSize)
        {
            EvictOldest();
        }

        return true;
    }

    /// <summary>Puts an entry whose bytes (none for a nameless one) are at <c>_end</c> as the newest; room was made.</summary>
    private void Append(Entry entry, int size)
    {
        if (Count == _entries.Length)
        {
            GrowEntries();
        }

        _entries[(_oldest + Count) % _entries.Length] = entry;
        _end += entry.Stored;
        Count++;
        Size += size;
        EndTailIfNoRoom();
    }

    /// <summary>
    /// With an exact maximum, held entries that leave no room for another 32 bytes leave none for an unknown one.
    /// Nameless entries count at their least here, which makes the rule only stricter: the encoder's size of the
    /// entries held, when it still has them all, is at least <see cref="Size"/>, so it has no room left either; and
    /// when it has dropped some of them, it has no entry past them. The tail ends; nameless entries stay unknown.
    /// </summary>
    private void EndTailIfNoRoom()
    {
        if (HasUnknownTail && MaxSizeExact && Size + EntryOverhead > MaxSize)
        {
            HasUnknownTail = false;
        }
    }

    private void Clear()
    {
        Count = 0;
        NamelessCount = 0;
        Size = 0;
        _oldest = 0;
        _start = 0;
        _end = 0;
    }

    private void EvictOldest()
    {
        var entry = _entries[_oldest];
        Size -= entry.NameLength + entry.ValueLength + EntryOverhead;
        NamelessCount -= entry.Nameless ? 1 : 0;
        Count--;
        if (Count == 0)
        {
            Clear();
            return;
        }

        _oldest = (_oldest + 1) % _entries.Length;
        _start = entry.Offset + entry.Stored;
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

    /// <summary>Where an entry's bytes start, and its lengths; a nameless one stores no bytes, its name counted as empty.</summary>
    private readonly record struct Entry(int Offset, int NameLength, int ValueLength, bool Nameless)
    {
        /// <summary>How many bytes it takes in <c>_bytes</c>.</summary>
        public int Stored => Nameless ? 0 : NameLength + ValueLength;
    }
}
