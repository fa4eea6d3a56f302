using KubeTriage.Capture.Protocols.Http2;

namespace KubeTriage.Capture.Tests.Protocols.Http2;

/// <summary>
/// The encoding side of HPACK, for tests only: integers (RFC 7541 §5.1) and Huffman strings (§5.2) from the
/// code table of <see cref="HpackHuffman"/>, padded with the most significant bits of EOS.
/// </summary>
internal static class HpackTestEncoder
{
    /// <summary>The integer with <paramref name="prefixBits"/> bits of prefix; <paramref name="flags"/> fills the bits above it.</summary>
    public static byte[] Integer(long value, int prefixBits, byte flags = 0)
    {
        var max = (1 << prefixBits) - 1;
        if (value < max)
        {
            return [(byte)(flags | value)];
        }

        var bytes = new List<byte> { (byte)(flags | max) };
        value -= max;
        while (value >= 128)
        {
            bytes.Add((byte)(value % 128 + 128));
            value /= 128;
        }

        bytes.Add((byte)value);
        return [.. bytes];
    }

    public static byte[] Huffman(ReadOnlySpan<byte> text)
    {
        var symbols = new int[text.Length];
        for (var i = 0; i < text.Length; i++)
        {
            symbols[i] = text[i];
        }

        return HuffmanSymbols(symbols);
    }

    /// <summary>Any symbols, EOS (256) included, then padding of ones to the byte boundary.</summary>
    public static byte[] HuffmanSymbols(IEnumerable<int> symbols)
    {
        var bytes = new List<byte>();
        ulong bits = 0;
        var count = 0;
        foreach (var symbol in symbols)
        {
            var (code, length) = HpackHuffman.CodeOf(symbol);
            bits = bits << length | code;
            count += length;
            while (count >= 8)
            {
                count -= 8;
                bytes.Add((byte)(bits >> count));
            }
        }

        if (count > 0)
        {
            var padding = 8 - count;
            bytes.Add((byte)(bits << padding | ((1ul << padding) - 1)));
        }

        return [.. bytes];
    }

    /// <summary>A string literal (§5.2): H bit, 7-bit length, bytes.</summary>
    public static byte[] String(ReadOnlySpan<byte> text, bool huffman)
    {
        var bytes = huffman ? Huffman(text) : text.ToArray();
        return [.. Integer(bytes.Length, 7, huffman ? (byte)0x80 : (byte)0), .. bytes];
    }

    /// <summary>An indexed field (§6.1): 1 and a 7-bit index into the static (1 to 61) or dynamic (62 on) table.</summary>
    public static byte[] Indexed(int index) => Integer(index, 7, 0x80);

    /// <summary>
    /// A literal field with a literal name (§6.2): with <paramref name="indexing"/> incremental indexing (01, adds the
    /// field to the table), otherwise without indexing (0000).
    /// </summary>
    public static byte[] Literal(string name, string value, bool indexing = false, bool huffman = false) =>
        [indexing ? (byte)0x40 : (byte)0x00, .. String(System.Text.Encoding.UTF8.GetBytes(name), huffman), .. String(System.Text.Encoding.UTF8.GetBytes(value), huffman)];

    /// <summary>A literal field whose name is the table entry <paramref name="nameIndex"/> (§6.2.1, §6.2.2).</summary>
    public static byte[] Literal(int nameIndex, string value, bool indexing = false, bool huffman = false) =>
        [.. Integer(nameIndex, indexing ? 6 : 4, indexing ? (byte)0x40 : (byte)0x00), .. String(System.Text.Encoding.UTF8.GetBytes(value), huffman)];

    /// <summary>A header block of literals with literal names, in order.</summary>
    public static byte[] Literals(IEnumerable<(string Name, string Value)> fields, bool indexing = false, bool huffman = false) =>
        fields.SelectMany(f => Literal(f.Name, f.Value, indexing, huffman)).ToArray();
}
