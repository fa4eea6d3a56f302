using System.Text;
using KubeTriage.Capture.Protocols.Http2;

namespace KubeTriage.Capture.Tests.Protocols.Http2;

/// <summary>One representation of a header block (RFC 7541 §6) and the field it stands for; null for a size update (§6.3).</summary>
internal sealed record HpackRepresentation(byte[] Bytes, string? Field);

/// <summary>
/// A random HPACK encoder for tests, the model of a connection seen from its start: it keeps the whole dynamic
/// table as a plain list, newest first, evicting the oldest entries (§4.4) and obeying size updates (§4.3), and
/// makes header blocks of every representation of §6 (indexed, literal with incremental indexing, without
/// indexing, never indexed; names by static or dynamic index or literal; Huffman or not), each with the field it
/// means. Names and values are printable ASCII, a field is written <c>name: value</c>.
/// </summary>
internal sealed class HpackModelEncoder
{
    private static readonly string[] Names =
    [
        "", "a", "grpc-status", "grpc-message", "content-type", "x-request-id", "user-agent", "te",
        "x-a-rather-long-header-name-that-takes-room-in-the-table", "custom-key", "x-b3-traceid", ":path",
    ];

    private readonly Random _random;
    private readonly List<(string Name, string Value)> _table = [];
    private readonly int _settingsMaxSize;
    private readonly int _longValue;

    /// <param name="seed">Seeds the choices.</param>
    /// <param name="settingsMaxSize">The most a size update may choose (the decoder's SETTINGS_HEADER_TABLE_SIZE, §4.2).</param>
    /// <param name="longValue">The length now and then given to a value, to take much of the table or more.</param>
    /// <param name="initialMaxSize">The maximum size at the start, as if an earlier size update had set it; by
    /// default 4096 (RFC 9113 §6.5.2), or the SETTINGS one when smaller.</param>
    public HpackModelEncoder(int seed, int settingsMaxSize = HpackDecoder.DefaultTableSize, int longValue = 5000, int? initialMaxSize = null)
    {
        _random = new Random(seed);
        _settingsMaxSize = settingsMaxSize;
        _longValue = longValue;
        MaxSize = initialMaxSize ?? Math.Min(HpackDecoder.DefaultTableSize, settingsMaxSize);
    }

    public int MaxSize { get; private set; }

    public int Size { get; private set; }

    public int Count => _table.Count;

    /// <summary>The chance, 1 in this, that a block starts with size updates; 0 for none.</summary>
    public int SizeUpdateOdds { get; init; } = 20;

    /// <summary>Dynamic indexes, of fields or names, are chosen among this many of the newest entries.</summary>
    public int ReferenceWindow { get; init; } = int.MaxValue;

    /// <summary>The next header block, as its representations in order.</summary>
    public List<HpackRepresentation> NextBlock()
    {
        var block = new List<HpackRepresentation>();
        if (SizeUpdateOdds > 0 && _random.Next(SizeUpdateOdds) == 0)
        {
            // At the start of the block, one or (the smallest, then the final one) two (§4.2).
            var updates = _random.Next(3) == 0 ? 2 : 1;
            for (var i = 0; i < updates; i++)
            {
                block.Add(SizeUpdate(ChooseMaxSize()));
            }
        }

        var count = _random.Next(1, 9);
        for (var i = 0; i < count; i++)
        {
            block.Add(NextRepresentation());
        }

        return block;
    }

    private int ChooseMaxSize() => _random.Next(8) switch
    {
        0 => 0,
        1 => _random.Next(0, 100),
        2 => Math.Min(256, _settingsMaxSize),
        3 => _random.Next(0, _settingsMaxSize + 1),
        4 => MaxSize,
        _ => _settingsMaxSize,
    };

    private HpackRepresentation SizeUpdate(int maxSize)
    {
        MaxSize = maxSize;
        while (Size > MaxSize)
        {
            Evict();
        }

        return new HpackRepresentation(HpackTestEncoder.Integer(maxSize, 5, 0x20), null);
    }

    private HpackRepresentation NextRepresentation()
    {
        var huffman = _random.Next(2) == 0;
        var roll = _random.Next(100);
        if (roll < 15)
        {
            var index = _random.Next(1, HpackStaticTable.Count + 1);
            return new HpackRepresentation(HpackTestEncoder.Indexed(index), Field(index));
        }

        if (roll < 45 && _table.Count > 0)
        {
            var index = DynamicIndex();
            return new HpackRepresentation(HpackTestEncoder.Indexed(index), Field(index));
        }

        // A literal (§6.2): 01 with a 6-bit name index adds it, 0000 or 0001 with a 4-bit one do not.
        var kind = _random.Next(5);
        var (prefixBits, flags) = kind switch
        {
            < 3 => (6, (byte)0x40),
            3 => (4, (byte)0x00),
            _ => (4, (byte)0x10),
        };
        var value = NextValue();
        byte[] bytes;
        string name;
        if (roll < 65 || (roll >= 80 && _table.Count == 0))
        {
            name = Names[_random.Next(Names.Length)];
            bytes = [flags, .. HpackTestEncoder.String(Encoding.ASCII.GetBytes(name), huffman), .. HpackTestEncoder.String(Encoding.ASCII.GetBytes(value), huffman)];
        }
        else
        {
            var nameIndex = roll < 80 ? _random.Next(1, HpackStaticTable.Count + 1) : DynamicIndex();
            name = Name(nameIndex);
            bytes = [.. HpackTestEncoder.Integer(nameIndex, prefixBits, flags), .. HpackTestEncoder.String(Encoding.ASCII.GetBytes(value), huffman)];
        }

        if (prefixBits == 6)
        {
            Add(name, value);
        }

        return new HpackRepresentation(bytes, name + ": " + value);
    }

    private int DynamicIndex() => HpackStaticTable.Count + 1 + _random.Next(Math.Min(_table.Count, ReferenceWindow));

    private string NextValue()
    {
        var length = _random.Next(20) switch
        {
            0 => _random.Next(_longValue + 1),
            < 3 => 0,
            _ => _random.Next(1, 40),
        };
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = (char)_random.Next(0x20, 0x7F);
        }

        return new string(chars);
    }

    private string Field(int index) => Name(index) + ": " + Value(index);

    private string Name(int index)
    {
        if (index <= HpackStaticTable.Count)
        {
            HpackStaticTable.TryGet(index, out var name, out _);
            return Encoding.ASCII.GetString(name);
        }

        return _table[index - HpackStaticTable.Count - 1].Name;
    }

    private string Value(int index)
    {
        if (index <= HpackStaticTable.Count)
        {
            HpackStaticTable.TryGet(index, out _, out var value);
            return Encoding.ASCII.GetString(value);
        }

        return _table[index - HpackStaticTable.Count - 1].Value;
    }

    /// <summary>§4.4: an entry larger than the table empties it and is not added; otherwise the oldest make room.</summary>
    private void Add(string name, string value)
    {
        var size = name.Length + value.Length + HpackDynamicTable.EntryOverhead;
        if (size > MaxSize)
        {
            _table.Clear();
            Size = 0;
            return;
        }

        while (Size + size > MaxSize)
        {
            Evict();
        }

        _table.Insert(0, (name, value));
        Size += size;
    }

    private void Evict()
    {
        var (name, value) = _table[^1];
        _table.RemoveAt(_table.Count - 1);
        Size -= name.Length + value.Length + HpackDynamicTable.EntryOverhead;
    }
}

/// <summary>
/// An HPACK encoder for tests that chooses representations as Go's does (golang.org/x/net/http2/hpack,
/// <c>Encoder.WriteField</c>), which grpc-go uses: a field found whole in the static table, else in the dynamic one
/// (its newest copy), is indexed; otherwise it is a literal with incremental indexing, named by the static table's
/// first entry of that name, else the dynamic table's newest, else by a literal name. Keeps its table as
/// <see cref="HpackModelEncoder"/> does.
/// </summary>
internal sealed class HpackSearchingEncoder(int maxSize = HpackDecoder.DefaultTableSize)
{
    private readonly List<(string Name, string Value)> _table = [];
    private int _size;

    /// <summary>The representations of a header block of <paramref name="fields"/>, one per field, in order.</summary>
    public List<HpackRepresentation> Block(params (string Name, string Value)[] fields)
    {
        var block = new List<HpackRepresentation>();
        foreach (var (name, value) in fields)
        {
            var (index, whole) = Search(name, value);
            if (whole)
            {
                block.Add(new HpackRepresentation(HpackTestEncoder.Indexed(index), name + ": " + value));
                continue;
            }

            var bytes = index == 0 ? HpackTestEncoder.Literal(name, value, indexing: true) : HpackTestEncoder.Literal(index, value, indexing: true);
            block.Add(new HpackRepresentation(bytes, name + ": " + value));
            Add(name, value);
        }

        return block;
    }

    private (int Index, bool Whole) Search(string name, string value)
    {
        var staticName = 0;
        for (var i = 1; i <= HpackStaticTable.Count; i++)
        {
            HpackStaticTable.TryGet(i, out var n, out var v);
            if (Encoding.ASCII.GetString(n) != name)
            {
                continue;
            }

            if (Encoding.ASCII.GetString(v) == value)
            {
                return (i, true);
            }

            staticName = staticName == 0 ? i : staticName;
        }

        var dynamicName = 0;
        for (var i = 0; i < _table.Count; i++)
        {
            if (_table[i].Name != name)
            {
                continue;
            }

            if (_table[i].Value == value)
            {
                return (HpackStaticTable.Count + 1 + i, true);
            }

            dynamicName = dynamicName == 0 ? HpackStaticTable.Count + 1 + i : dynamicName;
        }

        return (staticName != 0 ? staticName : dynamicName, false);
    }

    private void Add(string name, string value)
    {
        var size = name.Length + value.Length + HpackDynamicTable.EntryOverhead;
        while (_table.Count > 0 && _size + size > maxSize)
        {
            var (oldName, oldValue) = _table[^1];
            _table.RemoveAt(_table.Count - 1);
            _size -= oldName.Length + oldValue.Length + HpackDynamicTable.EntryOverhead;
        }

        if (size <= maxSize)
        {
            _table.Insert(0, (name, value));
            _size += size;
        }
    }
}
