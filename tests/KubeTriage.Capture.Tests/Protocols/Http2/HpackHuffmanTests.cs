using System.Text;
using KubeTriage.Capture.Protocols.Http2;
using KubeTriage.Capture.Tests.Protocols.Support;

namespace KubeTriage.Capture.Tests.Protocols.Http2;

public class HpackHuffmanTests
{
    [Fact]
    public void CodeTableIsACompleteCanonicalCode()
    {
        // Given: the symbols ordered by code length, then by value
        var symbols = Enumerable.Range(0, 257).OrderBy(s => HpackHuffman.CodeOf(s).Length).ThenBy(s => s).ToArray();

        // When: canonical codes are assigned in that order (each one more than the last, shifted to its length)
        var expected = new uint[257];
        var code = 0u;
        var previousLength = HpackHuffman.CodeOf(symbols[0]).Length;
        foreach (var symbol in symbols)
        {
            var length = HpackHuffman.CodeOf(symbol).Length;
            code <<= length - previousLength;
            expected[symbol] = code++;
            previousLength = length;
        }

        // Then: they are the table's codes, and they fill the code space exactly (Kraft sum 1)
        Assert.All(Enumerable.Range(0, 257), s => Assert.Equal(expected[s], HpackHuffman.CodeOf(s).Code));
        Assert.Equal(1L << 30, Enumerable.Range(0, 257).Sum(s => 1L << (30 - HpackHuffman.CodeOf(s).Length)));
    }

    [Theory]
    [InlineData('/', 0x18u, 6)] // the example of Appendix B
    [InlineData('0', 0x0u, 5)]
    [InlineData('a', 0x3u, 5)]
    [InlineData('\\', 0x7fff0u, 19)]
    [InlineData(0, 0x1ff8u, 13)]
    [InlineData(10, 0x3ffffffcu, 30)]
    [InlineData(255, 0x3ffffeeu, 26)]
    [InlineData(256, 0x3fffffffu, 30)] // EOS
    public void CodeTableHasTheRfcCodes(int symbol, uint code, int length)
    {
        // When
        var entry = HpackHuffman.CodeOf(symbol);

        // Then
        Assert.Equal((code, length), entry);
    }

    [Theory]
    [InlineData("www.example.com", "f1e3c2e5f23a6ba0ab90f4ff")] // C.4.1
    [InlineData("no-cache", "a8eb10649cbf")] // C.4.2
    [InlineData("custom-key", "25a849e95ba97d7f")] // C.4.3
    [InlineData("custom-value", "25a849e95bb8e8b4bf")] // C.4.3
    [InlineData("302", "6402")] // C.6.1
    [InlineData("private", "aec3771a4b")] // C.6.1
    [InlineData("Mon, 21 Oct 2013 20:13:21 GMT", "d07abe941054d444a8200595040b8166e082a62d1bff")] // C.6.1
    [InlineData("https://www.example.com", "9d29ad171863c78f0b97c8e9ae82ae43d3")] // C.6.1
    [InlineData("307", "640eff")] // C.6.2
    [InlineData("gzip", "9bd9ab")] // C.6.3
    [InlineData("foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1", "94e7821dd7f2e6c7b335dfdfcd5b3960d5af27087f3672c1ab270fb5291f9587316065c003ed4ee5b1063d5007")] // C.6.3
    [InlineData("", "")]
    public void RfcExamplesDecodeAndEncode(string text, string hex)
    {
        // Given
        var encoded = Hex.Parse(hex);
        var destination = new byte[HpackHuffman.MaxDecodedLength(encoded.Length)];

        // When
        var ok = HpackHuffman.TryDecode(encoded, destination, out var written);

        // Then
        Assert.True(ok);
        Assert.Equal(text, Encoding.ASCII.GetString(destination, 0, written));
        Assert.Equal(hex, Hex.Of(HpackTestEncoder.Huffman(Encoding.ASCII.GetBytes(text))));
    }

    [Fact]
    public void EveryByteValueRoundTrips()
    {
        // Given: each byte alone, each byte three times (codes straddling bytes), and all 256 in one string
        var texts = Enumerable.Range(0, 256).Select(b => new[] { (byte)b })
            .Concat(Enumerable.Range(0, 256).Select(b => new[] { (byte)b, (byte)b, (byte)b }))
            .Append(Enumerable.Range(0, 256).Select(b => (byte)b).ToArray())
            .Append(Enumerable.Range(0, 256).Select(b => (byte)(255 - b)).ToArray());

        foreach (var text in texts)
        {
            // When
            var encoded = HpackTestEncoder.Huffman(text);
            var destination = new byte[HpackHuffman.MaxDecodedLength(encoded.Length)];
            var ok = HpackHuffman.TryDecode(encoded, destination, out var written);

            // Then
            Assert.True(ok, Hex.Of(text));
            Assert.Equal(Hex.Of(text), Hex.Of(destination.AsSpan(0, written)));
        }
    }

    [Fact]
    public void RandomStringsRoundTrip()
    {
        // Given
        var random = new Random(7541);
        for (var i = 0; i < 2000; i++)
        {
            var text = new byte[random.Next(0, 64)];
            random.NextBytes(text);
            if (i % 2 == 0)
            {
                // header-like text: mostly the short codes
                for (var j = 0; j < text.Length; j++)
                {
                    text[j] = (byte)random.Next(0x20, 0x7f);
                }
            }

            // When
            var encoded = HpackTestEncoder.Huffman(text);
            var destination = new byte[HpackHuffman.MaxDecodedLength(encoded.Length)];
            var ok = HpackHuffman.TryDecode(encoded, destination, out var written);

            // Then
            Assert.True(ok);
            Assert.Equal(Hex.Of(text), Hex.Of(destination.AsSpan(0, written)));
        }
    }

    [Theory]
    [InlineData("07", "0")] // 00000 then 3 bits of padding
    [InlineData("1f", "a")] // 00011 then 3
    [InlineData("57", "%")] // 010101 then 2
    [InlineData("55507f", "%%0")] // 010101 010101 00000 then 7
    public void PaddingOfUpToSevenOnesIsAccepted(string hex, string text)
    {
        // Given
        var encoded = Hex.Parse(hex);
        var destination = new byte[8];

        // When
        var ok = HpackHuffman.TryDecode(encoded, destination, out var written);

        // Then
        Assert.True(ok);
        Assert.Equal(text, Encoding.ASCII.GetString(destination, 0, written));
    }

    [Fact]
    public void ShortestCodesFillMaxDecodedLengthExactly()
    {
        // Given: eight '0's, 5 bits each, in exactly 5 bytes
        var encoded = HpackTestEncoder.Huffman("00000000"u8);
        var destination = new byte[HpackHuffman.MaxDecodedLength(encoded.Length)];

        // When
        var ok = HpackHuffman.TryDecode(encoded, destination, out var written);

        // Then
        Assert.Equal((5, 8, true, 8), (encoded.Length, destination.Length, ok, written));
    }

    public static TheoryData<string, string> Rejected => new()
    {
        { Hex.Of(HpackTestEncoder.HuffmanSymbols([256])), "EOS alone" }, // 30 ones and 2 of padding: ffffffff
        { Hex.Of(HpackTestEncoder.HuffmanSymbols(['a', 256, 'b'])), "EOS between symbols" },
        { Hex.Of(HpackTestEncoder.HuffmanSymbols(['a', 'b', 256])), "EOS at the end" },
        { "ff", "8 bits of padding and nothing else" },
        { "1fff", "'a' then 11 bits of padding" }, // 00011 111|11111111
        { Hex.Of([.. HpackTestEncoder.Huffman("www.example.com"u8), 0xff]), "a whole byte of padding after a string" },
        { "1e", "'a' then padding 110" },
        { "1d", "'a' then padding 101" },
        { "18", "'a' then padding 000" },
        { "fe", "8 bits that begin a 10-bit code" },
        { "00", "'0' then padding 000" },
    };

    [Theory]
    [MemberData(nameof(Rejected))]
    public void BadPaddingOrEosIsRejected(string hex, string why)
    {
        // Given
        var encoded = Hex.Parse(hex);
        var destination = new byte[HpackHuffman.MaxDecodedLength(encoded.Length) + 8];

        // When
        var ok = HpackHuffman.TryDecode(encoded, destination, out _);

        // Then
        Assert.False(ok, why);
    }

    [Fact]
    public void TooSmallADestinationIsRejected()
    {
        // Given
        var encoded = HpackTestEncoder.Huffman("hello"u8);

        // When
        var fits = HpackHuffman.TryDecode(encoded, new byte[5], out var written);
        var short1 = HpackHuffman.TryDecode(encoded, new byte[4], out _);

        // Then
        Assert.Equal((true, 5, false), (fits, written, short1));
    }
}
