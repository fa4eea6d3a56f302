using System.Numerics;
using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Protocols.Http2;

/// <summary>Receives the fields of a header block in order; the spans are valid only during the call.</summary>
internal interface IHpackFieldHandler
{
    void OnField(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value);
}

/// <summary>
/// An HPACK decoder, RFC 7541 (https://www.rfc-editor.org/rfc/rfc7541): one per direction of one HTTP/2
/// connection, since each direction has its own dynamic table (§2.2). Decodes whole header blocks (a HEADERS
/// or PUSH_PROMISE fragment with its CONTINUATION fragments put together), in the order they were sent, and
/// hands each field to an <see cref="IHpackFieldHandler"/>. The representations (§6), by their first bits:
/// <code>
///   1xxxxxxx  indexed field, 7-bit index (§6.1)
///   01xxxxxx  literal with incremental indexing, 6-bit name index or 0 and a literal name (§6.2.1)
///   001xxxxx  dynamic table size update, 5-bit new maximum size (§6.3)
///   0001xxxx  literal never indexed, 4-bit name index (§6.2.3)
///   0000xxxx  literal without indexing, 4-bit name index (§6.2.2)
/// </code>
/// Index 1 to 61 is the static table, 62 on the dynamic table, newest first (§2.3.3). Strings (§5.2) are a
/// Huffman flag, a 7-bit length and the bytes; Huffman-coded ones are decoded into a scratch array owned by
/// the decoder, which grows to the longest string seen and is then reused, so decoding allocates nothing once
/// warmed up.
/// <para>
/// As a passive observer the decoder takes the table size from the encoder's size updates alone: the peer's
/// SETTINGS_HEADER_TABLE_SIZE is only the most the encoder may choose (§4.2), and the encoder starts at 4096.
/// Any size up to <see cref="MaxTableSize"/> is honoured, wherever in a block the update comes. After a
/// malformed result the table may be half updated: the caller stops using the decoder, or calls
/// <see cref="Forget"/> and goes on.
/// </para>
/// <para>
/// A capture often starts in the middle of a long-lived connection, or loses a header block: the dynamic
/// table's older entries are then unknown. Entries are added at the front and evicted oldest first (§2.3.3,
/// §4.4), so the entries learnt afterwards are the newest, contiguous from index 62, and their indexes exact
/// (see <see cref="HpackDynamicTable"/>). While such an unknown tail may exist, an index past the known entries
/// names an entry of the tail: the field, or a literal's name, is unknown, it is counted in
/// <see cref="UnknownFields"/> and not handed on, and decoding goes on; only an index that no table of the
/// maximum size could hold, 61 + max / 32, is malformed. A literal with incremental indexing whose name is
/// unknown is still added, as a nameless placeholder counted at its least size, value length + 32: indexes stay
/// exact and the known entries older than it stay known (a gRPC client's new grpc-timeout value on every call,
/// named after the previous one, costs that field alone). The placeholder's field is unknown, and so is the
/// name of a literal naming it, which if indexed adds another placeholder. The maximum size is assumed until a
/// size update sets it; from then on, held entries that leave no room for one more end the tail (a size update
/// to 0 always does); <see cref="TableKnown"/> once no placeholder is held either.
/// </para>
/// <para>
/// A field handed on is always the one the encoder meant; fewer may be handed on. The known entries are the
/// encoder's newest, at the same indexes, since both tables add at the front and evict from the back; a
/// placeholder's size is at most its true one, so the decoder evicts each entry no sooner than the encoder (at
/// worst it keeps some the encoder dropped, which a valid encoder never names again), and a table is taken to
/// end, making indexes past it malformed, only when even the least sizes leave no room for another entry.
/// </para>
/// </summary>
internal sealed class HpackDecoder
{
    /// <summary>The most a peer may set its table to here, whatever its SETTINGS say: bounds memory.</summary>
    public const int MaxTableSize = 64 * 1024;

    /// <summary>SETTINGS_HEADER_TABLE_SIZE's initial value, RFC 9113 §6.5.2.</summary>
    public const int DefaultTableSize = 4096;

    private readonly HpackDynamicTable _table;
    private byte[] _scratch = [];

    /// <param name="initialTableSize">The dynamic table's maximum size (§4.2); when the table is not known, assumed
    /// until a size update is seen.</param>
    /// <param name="tableKnown">False when the connection's start was not seen: the table starts as an unknown
    /// tail with no known entry.</param>
    public HpackDecoder(int initialTableSize = DefaultTableSize, bool tableKnown = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(initialTableSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(initialTableSize, MaxTableSize);
        _table = new HpackDynamicTable(initialTableSize, tableKnown);
    }

    /// <summary>
    /// The current sum of the sizes of the dynamic table's held entries (§4.1), placeholders counted at their least,
    /// value length + 32.
    /// </summary>
    public int DynamicTableSize => _table.Size;

    /// <summary>How many of the dynamic table's entries are held: the newest ones, from index 62, placeholders included.</summary>
    public int DynamicTableCount => _table.Count;

    /// <summary>How many of the held entries are placeholders, added by literals whose names were unknown: their fields are unknown.</summary>
    public int DynamicTableNamelessCount => _table.NamelessCount;

    /// <summary>The dynamic table's maximum size, as the last size update set it (or as given, or assumed).</summary>
    public int DynamicTableMaxSize => _table.MaxSize;

    /// <summary>
    /// The whole dynamic table is known: false while entries older than the held ones may exist, or a held one is a
    /// placeholder.
    /// </summary>
    public bool TableKnown => !_table.HasUnknownTail && _table.NamelessCount == 0;

    /// <summary>
    /// How many fields of the last <see cref="Decode"/> call could not be named, an indexed field or a literal's
    /// name being in the table's unknown tail or a placeholder: they were not handed on.
    /// </summary>
    public int UnknownFields { get; private set; }

    /// <summary>
    /// Every entry of the dynamic table becomes unknown, and its maximum size (kept) only assumed: for after a lost
    /// header block, or a malformed one, whose additions and size updates are not known.
    /// </summary>
    public void Forget() => _table.MarkAllUnknown();

    /// <summary>
    /// Decodes one whole header block. Parsed (consuming the whole block) when every representation in it was
    /// read, even when some of its fields were unknown (<see cref="UnknownFields"/>); malformed with
    /// <see cref="WireError.Http2BadHeaderBlock"/> and the offset of the bad representation or string otherwise.
    /// Fields before the bad one have been handed on already.
    /// </summary>
    public ParseResult Decode(ReadOnlySpan<byte> block, IHpackFieldHandler handler)
    {
        UnknownFields = 0;
        var offset = 0;
        while (offset < block.Length)
        {
            var start = offset;
            var first = block[offset];
            ParseResult result;
            if ((first & 0x80) != 0)
            {
                result = ReadInteger(block, ref offset, 7, out var index);
                if (!result.IsParsed)
                {
                    return result;
                }

                if (index == 0)
                {
                    return Malformed(start, "indexed field with index 0");
                }

                if (TryGetField(index, out var name, out var value))
                {
                    handler.OnField(name, value);
                }
                else if (IsUnknown(index))
                {
                    UnknownFields++;
                }
                else
                {
                    return Malformed(start, "index beyond the static and dynamic tables");
                }
            }
            else if ((first & 0xE0) == 0x20)
            {
                result = ReadInteger(block, ref offset, 5, out var maxSize);
                if (!result.IsParsed)
                {
                    return result;
                }

                if (maxSize > MaxTableSize)
                {
                    return Malformed(start, "table size update above 64 KiB");
                }

                _table.SetMaxSize(maxSize);
            }
            else
            {
                result = ReadLiteral(block, ref offset, handler);
                if (!result.IsParsed)
                {
                    return result;
                }
            }
        }

        return ParseResult.Parsed(block.Length);
    }

    /// <summary>A literal field (§6.2): 01 and a 6-bit name index add it to the table, 0001 or 0000 and a 4-bit one do not.</summary>
    private ParseResult ReadLiteral(ReadOnlySpan<byte> block, ref int offset, IHpackFieldHandler handler)
    {
        var start = offset;
        var indexing = (block[offset] & 0xC0) == 0x40;
        var result = ReadInteger(block, ref offset, indexing ? 6 : 4, out var nameIndex);
        if (!result.IsParsed)
        {
            return result;
        }

        ReadOnlySpan<byte> name;
        var scratchUsed = 0;
        var nameUnknown = false;
        if (nameIndex == 0)
        {
            result = ReadString(block, ref offset, 0, out name, out scratchUsed);
            if (!result.IsParsed)
            {
                return result;
            }
        }
        else if (!TryGetField(nameIndex, out name, out _))
        {
            if (!IsUnknown(nameIndex))
            {
                return Malformed(start, "name index beyond the static and dynamic tables");
            }

            nameUnknown = true;
        }

        result = ReadString(block, ref offset, scratchUsed, out var value, out _);
        if (!result.IsParsed)
        {
            return result;
        }

        if (nameUnknown)
        {
            // A value without its name tells nothing: counted, not handed on; added all the same, as a placeholder.
            UnknownFields++;
            if (indexing)
            {
                _table.AddNameless(value.Length);
            }

            return result;
        }

        handler.OnField(name, value);
        if (indexing)
        {
            _table.Add(name, value);
        }

        return result;
    }

    /// <summary>
    /// A string literal (§5.2): H (1 bit), length (7-bit prefix), bytes. Huffman-coded bytes are decoded into
    /// the scratch array from <paramref name="scratchOffset"/> on; <paramref name="scratchUsed"/> says how much.
    /// </summary>
    private ParseResult ReadString(ReadOnlySpan<byte> block, scoped ref int offset, int scratchOffset, out ReadOnlySpan<byte> text, out int scratchUsed)
    {
        text = default;
        scratchUsed = 0;
        var start = offset;
        var result = ReadInteger(block, ref offset, 7, out var length);
        if (!result.IsParsed)
        {
            return result;
        }

        if (length > block.Length - offset)
        {
            return Malformed(start, "string literal runs past the header block");
        }

        var raw = block.Slice(offset, length);
        offset += length;
        if ((block[start] & 0x80) == 0)
        {
            text = raw;
            return result;
        }

        // Growing leaves a name decoded earlier in the old array, where its span still points: no copy needed.
        var needed = scratchOffset + HpackHuffman.MaxDecodedLength(length);
        if (_scratch.Length < needed)
        {
            _scratch = new byte[Math.Max(256, (int)BitOperations.RoundUpToPowerOf2((uint)needed))];
        }

        if (!HpackHuffman.TryDecode(raw, _scratch.AsSpan(scratchOffset), out var written))
        {
            return Malformed(start, "Huffman string holds EOS or padding that is not up to 7 one bits");
        }

        text = _scratch.AsSpan(scratchOffset, written);
        scratchUsed = written;
        return result;
    }

    /// <summary>An integer (§5.1) at <paramref name="offset"/>; running out of bytes inside a whole block is malformed.</summary>
    private static ParseResult ReadInteger(ReadOnlySpan<byte> block, ref int offset, int prefixBits, out int value)
    {
        var result = HpackInteger.TryRead(block[offset..], prefixBits, out value);
        if (result.IsNeedMore)
        {
            return Malformed(offset, "integer runs past the header block");
        }

        if (result.IsMalformed)
        {
            return Malformed(offset + result.Offset, result.Message);
        }

        offset += result.Consumed;
        return result;
    }

    /// <summary>Index 1 to 61 in the static table, 62 on in the dynamic table (§2.3.3).</summary>
    private bool TryGetField(int index, out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value) =>
        index <= HpackStaticTable.Count
            ? HpackStaticTable.TryGet(index, out name, out value)
            : _table.TryGet(index - HpackStaticTable.Count, out name, out value);

    /// <summary>
    /// A dynamic index whose field <see cref="TryGetField"/> did not find names an unknown entry: a placeholder,
    /// or one of the unknown tail past the held entries, if the table has one and a table of the maximum size (the
    /// exact one, else the most allowed) could hold that many entries of at least 32 bytes.
    /// </summary>
    private bool IsUnknown(int index)
    {
        var dynamicIndex = index - HpackStaticTable.Count;
        return _table.IsNameless(dynamicIndex)
            || (_table.HasUnknownTail
                && dynamicIndex <= (_table.MaxSizeExact ? _table.MaxSize : MaxTableSize) / HpackDynamicTable.EntryOverhead);
    }

    private static ParseResult Malformed(int offset, string message) =>
        ParseResult.Malformed(WireError.Http2BadHeaderBlock, offset, message);
}
