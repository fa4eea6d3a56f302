namespace KubeTriage.Capture.Protocols.Http2;

/// <summary>
/// The Huffman code of HPACK string literals, RFC 7541 §5.2 and Appendix B
/// (https://www.rfc-editor.org/rfc/rfc7541#appendix-B): a canonical code of 5 to 30 bits for each byte
/// value plus EOS (256). A string ends on a byte boundary: the bits after its last symbol are padding, at
/// most 7 bits, taken from the most significant bits of EOS (all ones). A decoder must treat EOS inside a
/// string, padding over 7 bits, or padding that is not all ones as an error (§5.2).
/// <para>
/// Decoding is canonical: codes of each length are consecutive and follow those of shorter lengths, so
/// with the next 32 bits left-aligned in a window, the code's length is the first length whose limit (the
/// end of the code space that codes up to that length take) is above the window, and the symbol is found
/// by its rank within that length. No allocation: a 64-bit accumulator and three small static tables.
/// </para>
/// </summary>
internal static class HpackHuffman
{
    public const int Eos = 256;
    public const int MinCodeLength = 5;
    public const int MaxCodeLength = 30;

    /// <summary>Appendix B, code (aligned to the least significant bit) and length in bits, by symbol 0 to 256.</summary>
    private static readonly (uint Code, byte Length)[] Codes =
    [
        (0x1ff8, 13), (0x7fffd8, 23), (0xfffffe2, 28), (0xfffffe3, 28), (0xfffffe4, 28), (0xfffffe5, 28), (0xfffffe6, 28), (0xfffffe7, 28), // 0
        (0xfffffe8, 28), (0xffffea, 24), (0x3ffffffc, 30), (0xfffffe9, 28), (0xfffffea, 28), (0x3ffffffd, 30), (0xfffffeb, 28), (0xfffffec, 28), // 8
        (0xfffffed, 28), (0xfffffee, 28), (0xfffffef, 28), (0xffffff0, 28), (0xffffff1, 28), (0xffffff2, 28), (0x3ffffffe, 30), (0xffffff3, 28), // 16
        (0xffffff4, 28), (0xffffff5, 28), (0xffffff6, 28), (0xffffff7, 28), (0xffffff8, 28), (0xffffff9, 28), (0xffffffa, 28), (0xffffffb, 28), // 24
        (0x14, 6), (0x3f8, 10), (0x3f9, 10), (0xffa, 12), (0x1ff9, 13), (0x15, 6), (0xf8, 8), (0x7fa, 11), // 32
        (0x3fa, 10), (0x3fb, 10), (0xf9, 8), (0x7fb, 11), (0xfa, 8), (0x16, 6), (0x17, 6), (0x18, 6), // 40
        (0x0, 5), (0x1, 5), (0x2, 5), (0x19, 6), (0x1a, 6), (0x1b, 6), (0x1c, 6), (0x1d, 6), // 48
        (0x1e, 6), (0x1f, 6), (0x5c, 7), (0xfb, 8), (0x7ffc, 15), (0x20, 6), (0xffb, 12), (0x3fc, 10), // 56
        (0x1ffa, 13), (0x21, 6), (0x5d, 7), (0x5e, 7), (0x5f, 7), (0x60, 7), (0x61, 7), (0x62, 7), // 64
        (0x63, 7), (0x64, 7), (0x65, 7), (0x66, 7), (0x67, 7), (0x68, 7), (0x69, 7), (0x6a, 7), // 72
        (0x6b, 7), (0x6c, 7), (0x6d, 7), (0x6e, 7), (0x6f, 7), (0x70, 7), (0x71, 7), (0x72, 7), // 80
        (0xfc, 8), (0x73, 7), (0xfd, 8), (0x1ffb, 13), (0x7fff0, 19), (0x1ffc, 13), (0x3ffc, 14), (0x22, 6), // 88
        (0x7ffd, 15), (0x3, 5), (0x23, 6), (0x4, 5), (0x24, 6), (0x5, 5), (0x25, 6), (0x26, 6), // 96
        (0x27, 6), (0x6, 5), (0x74, 7), (0x75, 7), (0x28, 6), (0x29, 6), (0x2a, 6), (0x7, 5), // 104
        (0x2b, 6), (0x76, 7), (0x2c, 6), (0x8, 5), (0x9, 5), (0x2d, 6), (0x77, 7), (0x78, 7), // 112
        (0x79, 7), (0x7a, 7), (0x7b, 7), (0x7ffe, 15), (0x7fc, 11), (0x3ffd, 14), (0x1ffd, 13), (0xffffffc, 28), // 120
        (0xfffe6, 20), (0x3fffd2, 22), (0xfffe7, 20), (0xfffe8, 20), (0x3fffd3, 22), (0x3fffd4, 22), (0x3fffd5, 22), (0x7fffd9, 23), // 128
        (0x3fffd6, 22), (0x7fffda, 23), (0x7fffdb, 23), (0x7fffdc, 23), (0x7fffdd, 23), (0x7fffde, 23), (0xffffeb, 24), (0x7fffdf, 23), // 136
        (0xffffec, 24), (0xffffed, 24), (0x3fffd7, 22), (0x7fffe0, 23), (0xffffee, 24), (0x7fffe1, 23), (0x7fffe2, 23), (0x7fffe3, 23), // 144
        (0x7fffe4, 23), (0x1fffdc, 21), (0x3fffd8, 22), (0x7fffe5, 23), (0x3fffd9, 22), (0x7fffe6, 23), (0x7fffe7, 23), (0xffffef, 24), // 152
        (0x3fffda, 22), (0x1fffdd, 21), (0xfffe9, 20), (0x3fffdb, 22), (0x3fffdc, 22), (0x7fffe8, 23), (0x7fffe9, 23), (0x1fffde, 21), // 160
        (0x7fffea, 23), (0x3fffdd, 22), (0x3fffde, 22), (0xfffff0, 24), (0x1fffdf, 21), (0x3fffdf, 22), (0x7fffeb, 23), (0x7fffec, 23), // 168
        (0x1fffe0, 21), (0x1fffe1, 21), (0x3fffe0, 22), (0x1fffe2, 21), (0x7fffed, 23), (0x3fffe1, 22), (0x7fffee, 23), (0x7fffef, 23), // 176
        (0xfffea, 20), (0x3fffe2, 22), (0x3fffe3, 22), (0x3fffe4, 22), (0x7ffff0, 23), (0x3fffe5, 22), (0x3fffe6, 22), (0x7ffff1, 23), // 184
        (0x3ffffe0, 26), (0x3ffffe1, 26), (0xfffeb, 20), (0x7fff1, 19), (0x3fffe7, 22), (0x7ffff2, 23), (0x3fffe8, 22), (0x1ffffec, 25), // 192
        (0x3ffffe2, 26), (0x3ffffe3, 26), (0x3ffffe4, 26), (0x7ffffde, 27), (0x7ffffdf, 27), (0x3ffffe5, 26), (0xfffff1, 24), (0x1ffffed, 25), // 200
        (0x7fff2, 19), (0x1fffe3, 21), (0x3ffffe6, 26), (0x7ffffe0, 27), (0x7ffffe1, 27), (0x3ffffe7, 26), (0x7ffffe2, 27), (0xfffff2, 24), // 208
        (0x1fffe4, 21), (0x1fffe5, 21), (0x3ffffe8, 26), (0x3ffffe9, 26), (0xffffffd, 28), (0x7ffffe3, 27), (0x7ffffe4, 27), (0x7ffffe5, 27), // 216
        (0xfffec, 20), (0xfffff3, 24), (0xfffed, 20), (0x1fffe6, 21), (0x3fffe9, 22), (0x1fffe7, 21), (0x1fffe8, 21), (0x7ffff3, 23), // 224
        (0x3fffea, 22), (0x3fffeb, 22), (0x1ffffee, 25), (0x1ffffef, 25), (0xfffff4, 24), (0xfffff5, 24), (0x3ffffea, 26), (0x7ffff4, 23), // 232
        (0x3ffffeb, 26), (0x7ffffe6, 27), (0x3ffffec, 26), (0x3ffffed, 26), (0x7ffffe7, 27), (0x7ffffe8, 27), (0x7ffffe9, 27), (0x7ffffea, 27), // 240
        (0x7ffffeb, 27), (0xffffffe, 28), (0x7ffffec, 27), (0x7ffffed, 27), (0x7ffffee, 27), (0x7ffffef, 27), (0x7fffff0, 27), (0x3ffffee, 26), // 248
        (0x3fffffff, 30), // 256
    ];

    /// <summary>Limits[n]: the end, as a 32-bit left-aligned value, of the code space that codes of at most n bits take.</summary>
    private static readonly ulong[] Limits = BuildLimits();

    /// <summary>Offsets[n]: how many symbols have codes shorter than n bits (the rank of the first n-bit one).</summary>
    private static readonly short[] Offsets = BuildOffsets();

    /// <summary>The symbols ordered by code (by length, then by value, as the code is canonical).</summary>
    private static readonly short[] Symbols = BuildSymbols();

    /// <summary>The most bytes <paramref name="encodedLength"/> bytes can decode to (the shortest code is 5 bits).</summary>
    public static int MaxDecodedLength(int encodedLength) => encodedLength * 8 / 5;

    /// <summary>The code of a symbol (0 to 256), aligned to the least significant bit, and its length in bits.</summary>
    public static (uint Code, int Length) CodeOf(int symbol) => Codes[symbol];

    /// <summary>
    /// Decodes a Huffman-coded string literal into <paramref name="destination"/>. False when the bits hold
    /// EOS, end in more than 7 bits of padding or in padding that is not all ones, or decode to more bytes
    /// than <paramref name="destination"/> holds (<see cref="MaxDecodedLength"/> is always enough).
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> encoded, Span<byte> destination, out int written)
    {
        written = 0;
        ulong bits = 0; // the unread bits, left-aligned
        var count = 0;
        var next = 0;
        while (true)
        {
            while (count <= 56 && next < encoded.Length)
            {
                bits |= (ulong)encoded[next++] << (56 - count);
                count += 8;
            }

            if (count == 0)
            {
                return true;
            }

            var window = (uint)(bits >> 32);
            var length = MinCodeLength;
            while (window >= Limits[length])
            {
                length++;
            }

            if (length > count)
            {
                // The input is used up and what is left is no whole code: it must be padding, up to 7 ones.
                return count <= 7 && window >> (32 - count) == (1u << count) - 1;
            }

            var symbol = Symbols[Offsets[length] + (int)((window - Limits[length - 1]) >> (32 - length))];
            if (symbol == Eos || written == destination.Length)
            {
                return false;
            }

            destination[written++] = (byte)symbol;
            bits <<= length;
            count -= length;
        }
    }

    private static ulong[] BuildLimits()
    {
        var limits = new ulong[MaxCodeLength + 1];
        foreach (var (_, length) in Codes)
        {
            for (var n = length; n <= MaxCodeLength; n++)
            {
                limits[n] += 1ul << (32 - length);
            }
        }

        return limits;
    }

    private static short[] BuildOffsets()
    {
        var offsets = new short[MaxCodeLength + 1];
        foreach (var (_, length) in Codes)
        {
            for (var n = length + 1; n <= MaxCodeLength; n++)
            {
                offsets[n]++;
            }
        }

        return offsets;
    }

    private static short[] BuildSymbols()
    {
        var symbols = new short[Codes.Length];
        for (var symbol = 0; symbol < Codes.Length; symbol++)
        {
            symbols[symbol] = (short)symbol;
        }

        Array.Sort(symbols, (a, b) => Codes[a].Length != Codes[b].Length ? Codes[a].Length.CompareTo(Codes[b].Length) : Codes[a].Code.CompareTo(Codes[b].Code));
        return symbols;
    }
}
