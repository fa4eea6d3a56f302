using System.Text;
using KubeTriage.Capture.Primitives;
using KubeTriage.Capture.Protocols;
using KubeTriage.Capture.Protocols.Http2;
using KubeTriage.Capture.Tests.Protocols.Support;

namespace KubeTriage.Capture.Tests.Protocols.Http2;

/// <summary>
/// HPACK decoding against the examples of RFC 7541 Appendix C (https://www.rfc-editor.org/rfc/rfc7541#appendix-C),
/// their bytes typed from the RFC's hex dumps, plus malformed blocks, the dynamic table on its own, and allocation.
/// </summary>
public class HpackDecoderTests
{
    // C.3: requests without Huffman coding, one connection.
    internal const string C31 = "8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d";
    internal const string C32 = "8286 84be 5808 6e6f 2d63 6163 6865";
    internal const string C33 = "8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65";

    // C.4: the same requests with Huffman coding.
    internal const string C41 = "8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff";
    internal const string C42 = "8286 84be 5886 a8eb 1064 9cbf";
    internal const string C43 = "8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf";

    // C.5: responses without Huffman coding, a 256-byte table.
    internal const string C51 = """
        4803 3330 3258 0770 7269 7661 7465 611d
        4d6f 6e2c 2032 3120 4f63 7420 3230 3133
        2032 303a 3133 3a32 3120 474d 546e 1768
        7474 7073 3a2f 2f77 7777 2e65 7861 6d70
        6c65 2e63 6f6d
        """;

    internal const string C52 = "4803 3330 37c1 c0bf";

    internal const string C53 = """
        88c1 611d 4d6f 6e2c 2032 3120 4f63 7420
        3230 3133 2032 303a 3133 3a32 3220 474d
        54c0 5a04 677a 6970 7738 666f 6f3d 4153
        444a 4b48 514b 425a 584f 5157 454f 5049
        5541 5851 5745 4f49 553b 206d 6178 2d61
        6765 3d33 3630 303b 2076 6572 7369 6f6e
        3d31
        """;

    // C.6: the same responses with Huffman coding.
    internal const string C61 = """
        4882 6402 5885 aec3 771a 4b61 96d0 7abe
        9410 54d4 44a8 2005 9504 0b81 66e0 82a6
        2d1b ff6e 919d 29ad 1718 63c7 8f0b 97c8
        e9ae 82ae 43d3
        """;

    internal const string C62 = "4883 640e ffc1 c0bf";

    internal const string C63 = """
        88c1 6196 d07a be94 1054 d444 a820 0595
        040b 8166 e084 a62d 1bff c05a 839b d9ab
        77ad 94e7 821d d7f2 e6c7 b335 dfdf cd5b
        3960 d5af 2708 7f36 72c1 ab27 0fb5 291f
        9587 3160 65c0 03ed 4ee5 b106 3d50 07
        """;

    internal const string Date21 = "date: Mon, 21 Oct 2013 20:13:21 GMT";
    internal const string Date22 = "date: Mon, 21 Oct 2013 20:13:22 GMT";
    internal const string Location = "location: https://www.example.com";
    internal const string SetCookie = "set-cookie: foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1";

    private static readonly string[][] RequestLists =
    [
        [":method: GET", ":scheme: http", ":path: /", ":authority: www.example.com"],
        [":method: GET", ":scheme: http", ":path: /", ":authority: www.example.com", "cache-control: no-cache"],
        [":method: GET", ":scheme: https", ":path: /index.html", ":authority: www.example.com", "custom-key: custom-value"],
    ];

    private static readonly string[][] ResponseLists =
    [
        [":status: 302", "cache-control: private", Date21, Location],
        [":status: 307", "cache-control: private", Date21, Location],
        [":status: 200", "cache-control: private", Date22, Location, "content-encoding: gzip", SetCookie],
    ];

    [Theory]
    [InlineData("0a", 5, 10, 1)] // C.1.1
    [InlineData("ea", 5, 10, 1)] // C.1.1 with the three bits above the prefix set: they are not the integer's
    [InlineData("1f9a0a", 5, 1337, 3)] // C.1.2
    [InlineData("ff9a0a", 5, 1337, 3)]
    [InlineData("2a", 8, 42, 1)] // C.1.3
    [InlineData("1f00", 5, 31, 2)] // 2^N - 1 itself takes a continuation byte
    [InlineData("1e", 5, 30, 1)]
    [InlineData("1f8080808000", 5, 31, 6)] // five continuation bytes, redundant zeros: still an integer
    public void IntegerExamplesOfAppendixC1(string hex, int prefixBits, int value, int consumed)
    {
        // When
        var result = HpackInteger.TryRead(Hex.Parse(hex), prefixBits, out var read);

        // Then
        Assert.Equal((ReadStatus.Parsed, consumed, value), (result.Status, result.Consumed, read));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void IntegerUpToIntMaxValueIsReadAndOneMoreIsMalformed(int prefixBits)
    {
        // Given
        var largest = HpackTestEncoder.Integer(int.MaxValue, prefixBits);
        var tooLarge = HpackTestEncoder.Integer(int.MaxValue + 1L, prefixBits);

        // When
        var parsed = HpackInteger.TryRead(largest, prefixBits, out var value);
        var malformed = HpackInteger.TryRead(tooLarge, prefixBits, out _);

        // Then
        Assert.Equal((ReadStatus.Parsed, largest.Length, int.MaxValue), (parsed.Status, parsed.Consumed, value));
        Assert.Equal((ReadStatus.Malformed, WireError.Http2BadHeaderBlock, "integer above 2^31 - 1"), (malformed.Status, malformed.Error, malformed.Message));
    }

    [Theory]
    [InlineData("", ReadStatus.NeedMore, "")]
    [InlineData("1f", ReadStatus.NeedMore, "")]
    [InlineData("1f9a", ReadStatus.NeedMore, "")]
    [InlineData("1f80808080", ReadStatus.NeedMore, "")]
    [InlineData("1f8080808080", ReadStatus.Malformed, "integer longer than 5 continuation bytes")] // known too long before the 6th byte
    [InlineData("1f808080808000", ReadStatus.Malformed, "integer longer than 5 continuation bytes")]
    [InlineData("1fffffffff0f", ReadStatus.Malformed, "integer above 2^31 - 1")]
    public void IntegerThatStopsShortOrRunsOnIsNotRead(string hex, ReadStatus status, string message)
    {
        // When
        var result = HpackInteger.TryRead(Hex.Parse(hex), 5, out _);

        // Then
        Assert.Equal((status, message), (result.Status, result.Message));
    }

    [Theory]
    [InlineData("400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572", "custom-key: custom-header", 55, 1)] // C.2.1 with indexing
    [InlineData("040c 2f73 616d 706c 652f 7061 7468", ":path: /sample/path", 0, 0)] // C.2.2 without indexing
    [InlineData("1008 7061 7373 776f 7264 0673 6563 7265 74", "password: secret", 0, 0)] // C.2.3 never indexed
    [InlineData("82", ":method: GET", 0, 0)] // C.2.4 indexed
    public void SingleRepresentationsOfAppendixC2(string hex, string field, int tableSize, int tableCount)
    {
        // Given
        var decoder = new HpackDecoder();
        var block = Hex.Parse(hex);

        // When
        var (result, fields) = Decode(decoder, block);

        // Then
        Assert.Equal((ReadStatus.Parsed, block.Length), (result.Status, result.Consumed));
        Assert.Equal([field], fields);
        Assert.Equal((tableSize, tableCount), (decoder.DynamicTableSize, decoder.DynamicTableCount));
    }

    [Theory]
    [InlineData(false, C31, C32, C33)] // C.3
    [InlineData(true, C41, C42, C43)] // C.4
    public void RequestsOfAppendixC3AndC4ShareOneTable(bool huffman, string first, string second, string third)
    {
        // Given
        var decoder = new HpackDecoder();
        string[] blocks = [first, second, third];
        int[] sizes = [57, 110, 164];

        for (var i = 0; i < blocks.Length; i++)
        {
            // When
            var (result, fields) = Decode(decoder, Hex.Parse(blocks[i]));

            // Then
            Assert.True(result.IsParsed, $"huffman {huffman}, request {i + 1}: {result}");
            Assert.Equal(RequestLists[i], fields);
            Assert.Equal((sizes[i], i + 1), (decoder.DynamicTableSize, decoder.DynamicTableCount));
        }

        // And the table holds, newest first, what the RFC lists after C.3.3 / C.4.3
        var (_, entries) = Decode(decoder, Hex.Parse("bebfc0"));
        Assert.Equal(["custom-key: custom-value", "cache-control: no-cache", ":authority: www.example.com"], entries);
    }

    [Theory]
    [InlineData(false, C51, C52, C53)] // C.5
    [InlineData(true, C61, C62, C63)] // C.6
    public void ResponsesOfAppendixC5AndC6EvictFromA256ByteTable(bool huffman, string first, string second, string third)
    {
        // Given
        var decoder = new HpackDecoder(256);
        string[] blocks = [first, second, third];
        (int Size, int Count)[] tables = [(222, 4), (222, 4), (215, 3)];

        for (var i = 0; i < blocks.Length; i++)
        {
            // When
            var (result, fields) = Decode(decoder, Hex.Parse(blocks[i]));

            // Then
            Assert.True(result.IsParsed, $"huffman {huffman}, response {i + 1}: {result}");
            Assert.Equal(ResponseLists[i], fields);
            Assert.Equal(tables[i], (decoder.DynamicTableSize, decoder.DynamicTableCount));
        }

        // And the table holds what the RFC lists after C.5.3 / C.6.3, and nothing more
        var (_, entries) = Decode(decoder, Hex.Parse("bebfc0"));
        var (past, _) = Decode(decoder, Hex.Parse("c1"));
        Assert.Equal([SetCookie, "content-encoding: gzip", Date22], entries);
        Assert.Equal("index beyond the static and dynamic tables", past.Message);
    }

    public static TheoryData<string, int, string> MalformedBlocks => new()
    {
        { "80", 0, "indexed field with index 0" },
        { "8286 80", 2, "indexed field with index 0" },
        { "be", 0, "index beyond the static and dynamic tables" }, // 62 with an empty dynamic table
        { "ff80ffffff07", 0, "index beyond the static and dynamic tables" }, // 2^31 - 1 exactly
        { "82 ffffffffff0f", 6, "integer above 2^31 - 1" }, // the fifth continuation byte takes it past
        { "ff", 0, "integer runs past the header block" },
        { "82 ff80", 1, "integer runs past the header block" },
        { "7e 00", 0, "name index beyond the static and dynamic tables" }, // incremental indexing, name 62
        { "0f30 00", 0, "name index beyond the static and dynamic tables" }, // without indexing, name 15 + 48 = 63
        { "1f30 00", 0, "name index beyond the static and dynamic tables" }, // never indexed, name 63
        { Hex.Of(HpackTestEncoder.Integer(HpackDecoder.MaxTableSize + 1, 5, 0x20)), 0, "table size update above 64 KiB" },
        { "82 " + Hex.Of(HpackTestEncoder.Integer(int.MaxValue, 5, 0x20)), 1, "table size update above 64 KiB" },
        { "400a 6375 7374 6f6d", 1, "string literal runs past the header block" }, // name of 10 bytes, 6 there
        { "410f 7777", 1, "string literal runs past the header block" }, // value of 15 bytes, 2 there
        { "40", 1, "integer runs past the header block" }, // no name at all
        { "41", 1, "integer runs past the header block" }, // no value at all
        { "4003 6162 63", 5, "integer runs past the header block" }, // a name and no value
        { "41 ffffffff07 00", 1, "string literal runs past the header block" }, // a length near 2^31
        { "41 81ff", 1, "Huffman string holds EOS or padding that is not up to 7 one bits" }, // 8 bits of padding
        { "41 811e", 1, "Huffman string holds EOS or padding that is not up to 7 one bits" }, // 'a' then 110
        { "41 84ffffffff", 1, "Huffman string holds EOS or padding that is not up to 7 one bits" }, // EOS
        { "40 81ff 0161", 1, "Huffman string holds EOS or padding that is not up to 7 one bits" }, // in the name
    };

    [Theory]
    [MemberData(nameof(MalformedBlocks))]
    public void MalformedBlockGivesTheExactReason(string hex, int offset, string message)
    {
        // Given
        var decoder = new HpackDecoder();

        // When
        var (result, _) = Decode(decoder, Hex.Parse(hex));

        // Then
        Assert.Equal((ReadStatus.Malformed, WireError.Http2BadHeaderBlock, offset, message), (result.Status, result.Error, result.Offset, result.Message));
    }

    [Fact]
    public void IndexOneBeyondTheDynamicTableIsMalformed()
    {
        // Given: C.3.1 leaves one entry, index 62
        var decoder = new HpackDecoder();
        Decode(decoder, Hex.Parse(C31));

        // When
        var (inside, fields) = Decode(decoder, Hex.Parse("be"));
        var (past, _) = Decode(decoder, Hex.Parse("bf"));

        // Then
        Assert.Equal((ReadStatus.Parsed, ":authority: www.example.com"), (inside.Status, fields.Single()));
        Assert.Equal((ReadStatus.Malformed, "index beyond the static and dynamic tables"), (past.Status, past.Message));
    }

    [Fact]
    public void SizeUpdateUpToMaxTableSizeIsHonoured()
    {
        // Given
        var decoder = new HpackDecoder();
        var largest = HpackTestEncoder.Integer(HpackDecoder.MaxTableSize, 5, 0x20);

        // When
        var result = Decode(decoder, largest).Result;

        // Then
        Assert.Equal((ReadStatus.Parsed, HpackDecoder.MaxTableSize), (result.Status, decoder.DynamicTableMaxSize));
    }

    [Fact]
    public void SizeUpdateToZeroEmptiesTheTableAndALaterOneAllowsEntriesAgain()
    {
        // Given: the three requests of C.3, 164 bytes in three entries
        var decoder = new HpackDecoder();
        Decode(decoder, Hex.Parse(C31));
        Decode(decoder, Hex.Parse(C32));
        Decode(decoder, Hex.Parse(C33));

        // When: size 0, then (as an encoder must, in the next block) back to 4096 (3f e11f) before C.3.1 again
        var emptied = Decode(decoder, Hex.Parse("20")).Result;
        var (sizeAfterEmptying, countAfterEmptying) = (decoder.DynamicTableSize, decoder.DynamicTableCount);
        var (again, fields) = Decode(decoder, Hex.Parse("3fe11f " + C31));

        // Then
        Assert.True(emptied.IsParsed);
        Assert.Equal((0, 0), (sizeAfterEmptying, countAfterEmptying));
        Assert.Equal((ReadStatus.Parsed, 4096, 57, 1), (again.Status, decoder.DynamicTableMaxSize, decoder.DynamicTableSize, decoder.DynamicTableCount));
        Assert.Equal(RequestLists[0], fields);
    }

    [Fact]
    public void SizeUpdateEvictsTheOldestEntries()
    {
        // Given: C.5.1 leaves location (63), date (65), cache-control (52), :status (42): 222 bytes
        var decoder = new HpackDecoder(256);
        Decode(decoder, Hex.Parse(C51));

        // When: the size goes down to 128 (3f 61: 31 + 97), then the first two entries are looked up
        var (result, fields) = Decode(decoder, Hex.Parse("3f61 bebf"));
        var (past, _) = Decode(decoder, Hex.Parse("c0"));

        // Then: :status and cache-control are gone
        Assert.True(result.IsParsed);
        Assert.Equal((128, 2), (decoder.DynamicTableSize, decoder.DynamicTableCount));
        Assert.Equal([Location, Date21], fields);
        Assert.True(past.IsMalformed);
    }

    [Fact]
    public void LiteralNamedAfterAnEntryItEvictsKeepsTheName()
    {
        // Given: a table of 100 bytes holding one entry of 55 (custom-key: custom-header)
        var decoder = new HpackDecoder(100);
        Decode(decoder, Hex.Parse("400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572"));

        // When: a literal with incremental indexing names entry 62, and adding it (10 + 12 + 32) evicts that entry (§4.4)
        var (result, fields) = Decode(decoder, Hex.Parse("7e 0c 6375 7374 6f6d 2d76 616c 7565"));
        var (lookup, entries) = Decode(decoder, Hex.Parse("be"));

        // Then
        Assert.True(result.IsParsed && lookup.IsParsed);
        Assert.Equal(["custom-key: custom-value"], fields);
        Assert.Equal(["custom-key: custom-value"], entries);
        Assert.Equal((54, 1), (decoder.DynamicTableSize, decoder.DynamicTableCount));
    }

    [Fact]
    public void LiteralNamedAfterAnEntryWithHuffmanNameAndValueDecodesBoth()
    {
        // Given: both strings Huffman-coded, the value longer than the scratch array has yet grown to
        var value = new string('v', 600);
        var block = (byte[])[0x40, .. HpackTestEncoder.String("x-name"u8, huffman: true), .. HpackTestEncoder.String(Encoding.ASCII.GetBytes(value), huffman: true)];
        var decoder = new HpackDecoder();

        // When
        var (result, fields) = Decode(decoder, block);

        // Then
        Assert.True(result.IsParsed);
        Assert.Equal(["x-name: " + value], fields);
        Assert.Equal((6 + 600 + 32, 1), (decoder.DynamicTableSize, decoder.DynamicTableCount));
    }

    [Theory]
    [InlineData(C41, 4, new[] { 0, 1, 2, 3 })]
    [InlineData(C61, 4, new[] { 0, 4, 11, 35 })]
    public void EveryPrefixOfABlockIsMalformedOrDecodesFewerFields(string hex, int fieldCount, int[] boundaries)
    {
        // Given
        var block = Hex.Parse(hex);
        for (var length = 0; length < block.Length; length++)
        {
            var decoder = new HpackDecoder(256);

            // When
            var (result, fields) = Decode(decoder, block.AsSpan(0, length).ToArray());

            // Then: only a cut between representations parses, with the fields before it
            if (boundaries.Contains(length))
            {
                Assert.Equal((ReadStatus.Parsed, length, boundaries.ToList().IndexOf(length)), (result.Status, result.Consumed, fields.Count));
            }
            else
            {
                Assert.Equal((ReadStatus.Malformed, WireError.Http2BadHeaderBlock), (result.Status, result.Error));
                Assert.True(fields.Count < fieldCount);
            }
        }
    }

    [Fact]
    public void RandomBytesNeverThrow()
    {
        // Given: one decoder kept through every result, as a dissector would not, to shake its state
        var random = new Random(7541);
        var decoder = new HpackDecoder();
        var outcomes = new Dictionary<ReadStatus, int>();
        for (var i = 0; i < 20000; i++)
        {
            var block = new byte[random.Next(0, 40)];
            random.NextBytes(block);

            // When
            var (result, _) = Decode(decoder, block);

            // Then
            outcomes[result.Status] = outcomes.GetValueOrDefault(result.Status) + 1;
            Assert.True(result.IsParsed ? result.Consumed == block.Length : result.IsMalformed && result.Error == WireError.Http2BadHeaderBlock, result.ToString());
            Assert.InRange(decoder.DynamicTableSize, 0, decoder.DynamicTableMaxSize);
        }

        Assert.True(outcomes.GetValueOrDefault(ReadStatus.Parsed) > 100);
        Assert.False(outcomes.ContainsKey(ReadStatus.NeedMore));
    }

    [Fact]
    public void EntryLargerThanTheTableEmptiesIt()
    {
        // Given
        var table = new HpackDynamicTable(100);
        table.Add("a"u8, "b"u8);

        // When: 60 + 9 + 32 = 101 bytes (§4.4)
        table.Add(new byte[60], new byte[9]);

        // Then
        Assert.Equal((0, 0), (table.Size, table.Count));
        Assert.False(table.TryGet(1, out _, out _));
    }

    [Fact]
    public void LoweringTheMaximumEvictsTheOldest()
    {
        // Given: three entries of 34, 35 and 36 bytes
        var table = new HpackDynamicTable(4096);
        table.Add("a"u8, "1"u8);
        table.Add("bb"u8, "2"u8);
        table.Add("ccc"u8, "3"u8);

        // When
        table.SetMaxSize(75);

        // Then
        Assert.Equal((71, 2), (table.Size, table.Count));
        Assert.True(table.TryGet(2, out var name, out var value));
        Assert.Equal(("bb", "2"), (Encoding.ASCII.GetString(name), Encoding.ASCII.GetString(value)));
        Assert.False(table.TryGet(3, out _, out _));
        Assert.False(table.TryGet(0, out _, out _));
    }

    [Theory]
    [InlineData(256)]
    [InlineData(4096)]
    public void TableMatchesASimpleListThroughRandomAddsAndResizes(int maxSize)
    {
        // Given: a list as the model, newest first
        var random = new Random(maxSize);
        var table = new HpackDynamicTable(maxSize);
        var model = new List<(byte[] Name, byte[] Value)>();
        var modelMax = maxSize;
        for (var step = 0; step < 20000; step++)
        {
            // When: mostly adds, some with a name taken from the table itself, and now and then a new maximum
            if (random.Next(50) == 0)
            {
                modelMax = random.Next(0, maxSize + 1);
                table.SetMaxSize(modelMax);
            }
            else
            {
                var value = new byte[random.Next(0, maxSize / 3)];
                random.NextBytes(value);
                ReadOnlySpan<byte> name;
                byte[] nameCopy;
                if (table.Count > 0 && random.Next(3) == 0)
                {
                    table.TryGet(random.Next(1, table.Count + 1), out name, out _);
                    nameCopy = name.ToArray();
                }
                else
                {
                    nameCopy = new byte[random.Next(0, maxSize / 4)];
                    random.NextBytes(nameCopy);
                    name = nameCopy;
                }

                table.Add(name, value);
                model.Insert(0, (nameCopy, value));
            }

            while (model.Sum(e => e.Name.Length + e.Value.Length + 32) > modelMax)
            {
                model.RemoveAt(model.Count - 1);
            }

            // Then
            Assert.Equal((model.Sum(e => e.Name.Length + e.Value.Length + 32), model.Count), (table.Size, table.Count));
            for (var i = 0; i < model.Count; i++)
            {
                Assert.True(table.TryGet(i + 1, out var name, out var value));
                Assert.True(name.SequenceEqual(model[i].Name) && value.SequenceEqual(model[i].Value), $"step {step}, entry {i + 1}");
            }
        }
    }

    [Theory]
    [InlineData("c43")]
    [InlineData("c43-then-dynamic-name")]
    [InlineData("c63")]
    public void DecodingAllocatesNothingOnceWarmedUp(string name)
    {
        // Given: the state each block expects, and a warm-up
        var (decoder, block) = name switch
        {
            "c43" => (Warmed(4096, C41, C42), Hex.Parse(C43)),
            // C.4.3, then a literal named after entry 62 with incremental indexing and a Huffman value
            "c43-then-dynamic-name" => (Warmed(4096, C41, C42), Hex.Parse(C43 + "7e 89 25a8 49e9 5bb8 e8b4 bf")),
            // C.6.3 looks up 64 and 65, which its own adds evict: repeat C.6.1 to C.6.3
            _ => (Warmed(256), Hex.Parse(C61 + C62 + C63)),
        };
        var counter = new FieldCounter();
        var total = Loop(decoder, block, counter, 200);

        // When: the least of a few rounds (see ProtocolAllocationTests)
        var allocated = long.MaxValue;
        for (var round = 0; round < 5 && allocated != 0; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            total += Loop(decoder, block, counter, 1000);
            allocated = Math.Min(allocated, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        // Then
        Assert.Equal(0, counter.Malformed);
        Assert.True(total > 0 && counter.Bytes > 0);
        Assert.Equal(0, allocated);
    }

    private static HpackDecoder Warmed(int tableSize, params string[] blocks)
    {
        var decoder = new HpackDecoder(tableSize);
        foreach (var block in blocks)
        {
            Assert.True(Decode(decoder, Hex.Parse(block)).Result.IsParsed);
        }

        return decoder;
    }

    private static long Loop(HpackDecoder decoder, byte[] block, FieldCounter counter, int loops)
    {
        long total = 0;
        for (var i = 0; i < loops; i++)
        {
            var result = decoder.Decode(block, counter);
            total += result.Consumed;
            counter.Malformed += result.IsMalformed ? 1 : 0;
        }

        return total;
    }

    private static (ParseResult Result, List<string> Fields) Decode(HpackDecoder decoder, byte[] block)
    {
        var fields = new FieldList();
        var result = decoder.Decode(block, fields);
        return (result, fields.Fields);
    }
}
