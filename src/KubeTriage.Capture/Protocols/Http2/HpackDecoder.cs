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
/// malformed result the table may be half updated: the caller stops using the decoder.
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

    public HpackDecoder(int initialTableSize = DefaultTableSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(initialTableSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(initialTableSize, MaxTableSize);
        _table = new HpackDynamicTable(initialTableSize);
    }

    /// <summary>The current sum of the dynamic table's entry sizes (§4.1).</summary>
    public int DynamicTableSize => _table.Size;

    public int DynamicTableCount => _table.Count;

    /// <summary>The dynamic table's maximum size, as the last size update set it.</summary>
    public int DynamicTableMaxSize => _table.MaxSize;

    /// <summary>
    /// Decodes one whole header block. Parsed (consuming the whole block) when every representation in it was
    /// read; malformed with <see cref="WireError.Http2BadHeaderBlock"/> and the offset of the bad
    /// representation or string otherwise. Fields before the bad one have been handed on already.
    /// </summary>
    public ParseResult Decode(ReadOnlySpan<byte> block, IHpackFieldHandler handler)
    {
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

                if (!TryGetField(index, out var name, out var value))
                {
                    return Malformed(start, "index beyond the static and dynamic tables");
                }

                handler.OnField(name, value);
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
            return Malformed(start, "name index beyond the static and dynamic tables");
        }

        result = ReadString(block, ref offset, scratchUsed, out var value, out _);
        if (!result.IsParsed)
        {
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

    private static ParseResult Malformed(int offset, string message) =>
        ParseResult.Malformed(WireError.Http2BadHeaderBlock, offset, message);
}
