using System.Text;
using KubeTriage.Capture.Primitives;
using KubeTriage.Capture.Protocols;
using KubeTriage.Capture.Protocols.Http2;
using KubeTriage.Capture.Tests.Protocols.Support;
using static KubeTriage.Capture.Tests.Protocols.Http2.HpackDecoderTests;

namespace KubeTriage.Capture.Tests.Protocols.Http2;

/// <summary>
/// HPACK decoding with a dynamic table whose older part is unknown (a capture joining a connection mid-stream, or
/// losing a header block): the examples of RFC 7541 Appendix C (https://www.rfc-editor.org/rfc/rfc7541#appendix-C)
/// decoded without their first block, names in the unknown part and the placeholders they add, a gRPC client's calls,
/// <see cref="HpackDecoder.Forget"/>, size updates,
/// the index bound, random input, allocation, and a model encoder whose fields a late decoder must never get wrong.
/// </summary>
public class HpackUnknownTableTests
{
    private const string Beyond = "index beyond the static and dynamic tables";
    private const string NameBeyond = "name index beyond the static and dynamic tables";

    [Theory]
    [InlineData(false, C32, C33)] // C.3
    [InlineData(true, C42, C43)] // C.4
    public void RequestsOfAppendixC3AndC4WithoutTheFirstNameOnlyWhatTheDecoderSaw(bool huffman, string second, string third)
    {
        // Given: a decoder that joins after C.3.1, which added :authority: www.example.com (62)
        var decoder = new HpackDecoder(tableKnown: false);

        // When: C.3.2 names 62 (unknown) and adds cache-control: no-cache (53 bytes)
        var (secondResult, secondFields, secondUnknown) = Decode(decoder, Hex.Parse(second));
        var secondTable = (decoder.DynamicTableSize, decoder.DynamicTableCount, decoder.TableKnown);

        // Then: the static and literal fields are handed on, :authority is not
        Assert.Equal((ReadStatus.Parsed, Hex.Parse(second).Length), (secondResult.Status, secondResult.Consumed));
        Assert.Equal([":method: GET", ":scheme: http", ":path: /", "cache-control: no-cache"], secondFields);
        Assert.Equal(1, secondUnknown);
        Assert.Equal((53, 1, false), secondTable);

        // When: C.3.3 names 63, :authority again (cache-control is 62 now), and adds custom-key: custom-value (54)
        var (thirdResult, thirdFields, thirdUnknown) = Decode(decoder, Hex.Parse(third));

        // Then
        Assert.True(thirdResult.IsParsed, $"huffman {huffman}: {thirdResult}");
        Assert.Equal([":method: GET", ":scheme: https", ":path: /index.html", "custom-key: custom-value"], thirdFields);
        Assert.Equal(1, thirdUnknown);
        Assert.Equal((107, 2, false), (decoder.DynamicTableSize, decoder.DynamicTableCount, decoder.TableKnown));

        // And the two entries it saw added are known, newest first, the RFC's third (:authority) is not
        var (lookup, entries, unknown) = Decode(decoder, Hex.Parse("bebfc0"));
        Assert.True(lookup.IsParsed);
        Assert.Equal(["custom-key: custom-value", "cache-control: no-cache"], entries);
        Assert.Equal(1, unknown);
    }

    [Theory]
    [InlineData(false, C52, C53)] // C.5
    [InlineData(true, C62, C63)] // C.6
    public void ResponsesOfAppendixC5AndC6WithoutTheFirstEvictTheKnownEntriesInOrder(bool huffman, string second, string third)
    {
        // Given: a 256-byte table (assumed, as mid-stream; here the right size), joined after C.5.1 had filled it
        // with :status 302, cache-control, date 21 and location
        var decoder = new HpackDecoder(256, tableKnown: false);

        // When: C.5.2 adds :status 307 (42 bytes) and names 65, 64 and 63, all from C.5.1
        var (secondResult, secondFields, secondUnknown) = Decode(decoder, Hex.Parse(second));
        var secondTable = (decoder.DynamicTableSize, decoder.DynamicTableCount);

        // Then
        Assert.True(secondResult.IsParsed, $"huffman {huffman}: {secondResult}");
        Assert.Equal([":status: 307"], secondFields);
        Assert.Equal(3, secondUnknown);
        Assert.Equal((42, 1), secondTable);

        // When: C.5.3 names 65 (cache-control, unknown), adds date 22 (65), names 64 (location, unknown), adds
        // content-encoding (52) and set-cookie (98): 42 + 65 + 52 + 98 = 257 evicts the oldest known, :status 307
        var (thirdResult, thirdFields, thirdUnknown) = Decode(decoder, Hex.Parse(third));

        // Then: what the RFC's table holds after C.5.3, 215 bytes in 3 entries, but not known to be all of it
        Assert.True(thirdResult.IsParsed, $"huffman {huffman}: {thirdResult}");
        Assert.Equal([":status: 200", Date22, "content-encoding: gzip", SetCookie], thirdFields);
        Assert.Equal(2, thirdUnknown);
        Assert.Equal((215, 3, false), (decoder.DynamicTableSize, decoder.DynamicTableCount, decoder.TableKnown));

        // And the entries are the RFC's, newest first; 65 is unknown, not malformed
        var (lookup, entries, unknown) = Decode(decoder, Hex.Parse("bebfc0c1"));
        Assert.True(lookup.IsParsed);
        Assert.Equal([SetCookie, "content-encoding: gzip", Date22], entries);
        Assert.Equal(1, unknown);
    }

    [Theory]
    [InlineData("incremental", 67, 2, 1)] // a nameless placeholder of 1 + 32 bytes at 62; a: 1 moves to 63, still known
    [InlineData("without", 34, 1, 0)] // the table is as it was
    [InlineData("never", 34, 1, 0)]
    public void LiteralWhoseNameIsUnknownIsCountedAndWithIndexingAddsAPlaceholderLeavingOlderEntriesKnown(string kind, int size, int count, int nameless)
    {
        // Given: an unknown table that has seen a: 1 added (62); 63 is in the unknown tail
        var decoder = new HpackDecoder(tableKnown: false);
        Decode(decoder, HpackTestEncoder.Literal("a", "1", indexing: true));
        byte[] literal = kind switch
        {
            "incremental" => [.. HpackTestEncoder.Integer(63, 6, 0x40), .. HpackTestEncoder.String("v"u8, huffman: true)],
            "without" => [.. HpackTestEncoder.Integer(63, 4, 0x00), .. HpackTestEncoder.String("v"u8, huffman: true)],
            _ => [.. HpackTestEncoder.Integer(63, 4, 0x10), .. HpackTestEncoder.String("v"u8, huffman: true)],
        };

        // When: a literal named after 63, then a: 1 looked up where it is now, then the placeholder's index, 62
        var (result, fields, unknown) = Decode(decoder, literal);
        var table = (decoder.DynamicTableSize, decoder.DynamicTableCount, decoder.DynamicTableNamelessCount, decoder.TableKnown);
        var (_, lookup, lookupUnknown) = Decode(decoder, Hex.Parse(kind == "incremental" ? "bf" : "be"));
        var (newest, newestFields, newestUnknown) = Decode(decoder, Hex.Parse("be"));

        // Then: the value alone is not handed on; a: 1 is, at its new index; the placeholder's field is unknown
        Assert.Equal((ReadStatus.Parsed, literal.Length), (result.Status, result.Consumed));
        Assert.Empty(fields);
        Assert.Equal(1, unknown);
        Assert.Equal((size, count, nameless, false), table);
        Assert.Equal(["a: 1"], lookup);
        Assert.Equal(0, lookupUnknown);
        Assert.True(newest.IsParsed);
        Assert.Equal(kind == "incremental" ? [] : ["a: 1"], newestFields);
        Assert.Equal(kind == "incremental" ? 1 : 0, newestUnknown);
    }

    [Fact]
    public void EntriesAroundAPlaceholderAreKnownAtExactIndexes()
    {
        // Given: a: 1 known, then a literal with incremental indexing named after the unknown 63
        var decoder = new HpackDecoder(tableKnown: false);
        Decode(decoder, HpackTestEncoder.Literal("a", "1", indexing: true));
        Decode(decoder, HpackTestEncoder.Literal(63, "v", indexing: true));

        // When: b: 2 is added, then 62 to 65 are looked up in one block
        var (added, addedFields, addedUnknown) = Decode(decoder, HpackTestEncoder.Literal("b", "2", indexing: true));
        var (lookup, fields, unknown) = Decode(decoder, Hex.Parse("be bf c0 c1"));

        // Then: b: 2 (62) and a: 1 (64) are known; 63 (the placeholder) and 65 (the unknown tail) are not
        Assert.True(added.IsParsed && lookup.IsParsed);
        Assert.Equal(["b: 2"], addedFields);
        Assert.Equal(0, addedUnknown);
        Assert.Equal((34 + 33 + 34, 3, 1, false), (decoder.DynamicTableSize, decoder.DynamicTableCount, decoder.DynamicTableNamelessCount, decoder.TableKnown));
        Assert.Equal(["b: 2", "a: 1"], fields);
        Assert.Equal(2, unknown);
    }

    [Theory]
    [InlineData(true)] // with incremental indexing: another placeholder
    [InlineData(false)] // without: the table is as it was
    public void LiteralNamingAPlaceholderHasAnUnknownNameAndWithIndexingAddsAnotherPlaceholder(bool indexing)
    {
        // Given: a: 1 (63) known behind a placeholder (62) of a 4-byte value
        var decoder = new HpackDecoder(tableKnown: false);
        Decode(decoder, HpackTestEncoder.Literal("a", "1", indexing: true));
        Decode(decoder, HpackTestEncoder.Literal(63, "1000", indexing: true));

        // When: a literal named after the placeholder, 62, then 62 to 64 looked up
        var (result, fields, unknown) = Decode(decoder, HpackTestEncoder.Literal(62, "2000m", indexing));
        var table = (decoder.DynamicTableSize, decoder.DynamicTableCount, decoder.DynamicTableNamelessCount);
        var (lookup, lookupFields, lookupUnknown) = Decode(decoder, Hex.Parse("be bf c0"));

        // Then: counted, not handed on; a: 1 is known wherever it is
        Assert.True(result.IsParsed && lookup.IsParsed);
        Assert.Empty(fields);
        Assert.Equal(1, unknown);
        Assert.Equal(indexing ? (34 + 36 + 37, 3, 2) : (34 + 36, 2, 1), table);
        Assert.Equal(["a: 1"], lookupFields);
        Assert.Equal(2, lookupUnknown);
        Assert.False(decoder.TableKnown);
    }

    [Theory]
    [InlineData(200, "a: 1", "unknown")] // 76 + 32 fits: an unknown entry may follow
    [InlineData(108, "a: 1", "unknown")]
    [InlineData(107, "a: 1", "beyond")] // no room beyond 76 bytes even at the placeholder's least size: the tail ends
    [InlineData(76, "a: 1", "beyond")]
    [InlineData(75, "unknown", "beyond")] // a: 1 evicted by our sizes (the encoder's are no smaller: it evicted it too);
                                          // 42 + 32 fit, but 64 is past what 75 bytes can hold (2 entries)
    [InlineData(73, "beyond", "beyond")] // and 42 + 32 leave no room: the tail ends
    public void SizeUpdateEvictsByThePlaceholdersLeastSizeAndEndsTheTailOnlyWhenThatLeavesNoRoom(int maxSize, string at63, string at64)
    {
        // Given: a: 1 (34, 63) behind a placeholder of a 10-byte value (at least 42, 62): 76 bytes held
        var decoder = new HpackDecoder(tableKnown: false);
        Decode(decoder, HpackTestEncoder.Literal("a", "1", indexing: true));
        Decode(decoder, HpackTestEncoder.Literal(70, "0123456789", indexing: true));

        // When: a size update, then 62 (the placeholder), 63 (a: 1 or nothing) and 64 (past the held entries) each
        var (update, _, _) = Decode(decoder, HpackTestEncoder.Integer(maxSize, 5, 0x20));
        var table = (decoder.DynamicTableSize, decoder.DynamicTableCount, decoder.DynamicTableNamelessCount, decoder.TableKnown);
        var lookups = new[] { "be", "bf", "c0" }.Select(hex => Decode(decoder, Hex.Parse(hex))).ToList();

        // Then: the placeholder stays unknown and the table not fully known; past the held entries is unknown while
        // the tail may exist, malformed once it cannot
        Assert.True(update.IsParsed);
        Assert.Equal(maxSize < 76 ? (42, 1, 1, false) : (76, 2, 1, false), table);
        string Outcome((ParseResult Result, List<string> Fields, int Unknown) r) =>
            r.Result.IsMalformed ? (r.Result.Message == Beyond && r.Result.Offset == 0 ? "beyond" : r.Result.ToString())
            : r.Unknown == 1 && r.Fields.Count == 0 ? "unknown"
            : string.Join(", ", r.Fields) + (r.Unknown > 0 ? " and unknown" : "");
        Assert.Equal(["unknown", at63, at64], lookups.Select(Outcome));
    }

    [Fact]
    public void PlaceholdersAreEvictedByTheirLeastSizesNoSoonerThanTheEncoderEvicts()
    {
        // Given: an exact maximum of 100; a: 1 (34), then a placeholder of a 30-byte value (at least 62): 96 held,
        // no room for 32 more, so no unknown tail. The encoder's name may be longer, and a: 1 gone from its table.
        var table = new HpackDynamicTable(4096, known: false);
        table.SetMaxSize(100);
        table.Add("a"u8, "1"u8);
        table.AddNameless(30);
        var both = (table.Size, table.Count, table.NamelessCount, table.HasUnknownTail);

        // When: b: 2 (34), which evicts a: 1 here, then c: 3, which evicts the placeholder
        table.Add("b"u8, "2"u8);
        var afterB = (table.Size, table.Count, table.NamelessCount, table.IsNameless(2), table.TryGet(2, out _, out _));
        table.Add("c"u8, "3"u8);

        // Then
        Assert.Equal((96, 2, 1, false), both);
        Assert.Equal((96, 2, 1, true, false), afterB);
        Assert.Equal((68, 2, 0, false), (table.Size, table.Count, table.NamelessCount, table.HasUnknownTail));
        Assert.True(table.TryGet(2, out var name, out var value));
        Assert.Equal(("b", "2"), (Encoding.ASCII.GetString(name), Encoding.ASCII.GetString(value)));
        Assert.False(table.IsNameless(1) || table.IsNameless(2) || table.IsNameless(3));
    }

    [Fact]
    public void PlaceholderTooLargeForAnAssumedMaximumEmptiesTheTableAndKeepsTheTail()
    {
        // Given: an unknown table, 4096 assumed, a: 1 known
        var decoder = new HpackDecoder(tableKnown: false);
        Decode(decoder, HpackTestEncoder.Literal("a", "1", indexing: true));

        // When: an entry named after the unknown 63 with a 5000-byte value: the encoder's maximum may be larger
        var (result, _, unknown) = Decode(decoder, HpackTestEncoder.Literal(63, new string('v', 5000), indexing: true));
        var (past, _, pastUnknown) = Decode(decoder, Hex.Parse("be"));

        // Then
        Assert.Equal((true, 1), (result.IsParsed, unknown));
        Assert.Equal((0, 0, 0, false), (decoder.DynamicTableSize, decoder.DynamicTableCount, decoder.DynamicTableNamelessCount, decoder.TableKnown));
        Assert.Equal((ReadStatus.Parsed, 1), (past.Status, pastUnknown));
    }

    [Fact]
    public void GrpcClientsNewTimeoutOnEveryCallCostsThatFieldAloneAndPathsAddedAfterTheJoinStayKnown()
    {
        // Given: a grpc-go-like client (Go's HPACK choices: whole fields indexed, names from the static table, else
        // the newest dynamic entry of that name), two calls before the capture joins, so its table holds their
        // :path, :authority, content-type, user-agent, te and grpc-timeout entries, all unknown to the decoder
        var encoder = new HpackSearchingEncoder();
        var full = new HpackDecoder();
        string[] before = ["/shop.Orders/Get", "/shop.Orders/List"];
        string[] after = ["/shop.Orders/Create", "/shop.Orders/Get", "/shop.Orders/Create", "/shop.Orders/List", "/shop.Orders/Delete"];
        List<HpackRepresentation> Call(string path, int call) => encoder.Block(
            (":method", "POST"), (":scheme", "http"), (":path", path), (":authority", "orders.shop:50051"),
            ("content-type", "application/grpc"), ("user-agent", "grpc-go/1.60.1"), ("te", "trailers"),
            ("grpc-timeout", $"{99_983 - call * 37}u"));
        for (var call = 0; call < before.Length; call++)
        {
            Assert.True(Decode(full, [.. Call(before[call], call).SelectMany(r => r.Bytes)]).Result.IsParsed);
        }

        var byRepresentation = new HpackDecoder(tableKnown: false);
        var byBlock = new HpackDecoder(tableKnown: false);
        var learnt = new HashSet<string>(); // fields added, as literals, after the join
        var calls = new List<(string Fields, int Unknown)>();
        var (timeoutsNamedUnknown, learntReused) = (0, 0);

        // When: 200 calls, each with a new grpc-timeout value named after the previous one, enough for the client's
        // table (4096 bytes) to evict the entries from before the join and add them again
        for (var call = before.Length; call < before.Length + 200; call++)
        {
            var representations = Call(after[(call - before.Length) % after.Length], call);
            var block = representations.SelectMany(r => r.Bytes).ToArray();
            var (fullResult, fullFields, _) = Decode(full, block);
            Assert.True(fullResult.IsParsed);
            Assert.Equal(representations.Select(r => r.Field!), fullFields);

            var fields = new List<string>();
            var unknown = 0;
            foreach (var representation in representations)
            {
                var indexed = (representation.Bytes[0] & 0x80) != 0;
                var (result, handed, count) = Decode(byRepresentation, representation.Bytes);

                // Then: each field is the one meant, or unknown; a grpc-timeout always unknown (its name is a
                // placeholder's), a field that was added after the join always known
                Assert.True(result.IsParsed);
                Assert.Equal(count == 0 ? [representation.Field!] : [], handed);
                Assert.Equal(representation.Field!.StartsWith("grpc-timeout:", StringComparison.Ordinal) ? 1 : count, count);
                if (indexed && learnt.Contains(representation.Field!))
                {
                    Assert.Equal(0, count);
                    learntReused++;
                }

                if (!indexed && count == 0)
                {
                    learnt.Add(representation.Field!);
                }

                timeoutsNamedUnknown += !indexed && count == 1 ? 1 : 0;
                fields.AddRange(handed);
                unknown += count;
            }

            var (blockResult, blockFields, blockUnknown) = Decode(byBlock, block);
            Assert.True(blockResult.IsParsed);
            Assert.Equal(fields, blockFields);
            Assert.Equal(unknown, blockUnknown);
            calls.Add((string.Join(", ", fields), unknown));
        }

        // Then: the first calls after the join; Create's :path, added by the first, is known in the third although
        // grpc-timeout placeholders were added after it (under a rule that made it unknown it would be lost)
        const string Start = ":method: POST, :scheme: http";
        Assert.Equal((Start + ", :path: /shop.Orders/Create", 5), calls[0]);
        Assert.Equal((Start, 6), calls[1]);
        Assert.Equal((Start + ", :path: /shop.Orders/Create", 5), calls[2]);
        Assert.Equal((Start, 6), calls[3]);
        Assert.Equal((Start + ", :path: /shop.Orders/Delete", 5), calls[4]);
        Assert.Equal(200, timeoutsNamedUnknown);
        Assert.True(learntReused > 100, $"{learntReused}");

        // And once the client has evicted and added again what it had before the join, grpc-timeout alone is unknown
        Assert.All(calls.TakeLast(50), c => Assert.Equal((7, 1), (c.Fields.Split(", ").Length, c.Unknown)));
        Assert.False(byBlock.TableKnown);
        Assert.True(byBlock.DynamicTableNamelessCount > 50, $"{byBlock.DynamicTableNamelessCount}");
    }

    [Fact]
    public void LiteralWithAnUnknownNameTooLargeForAnExactMaximumEmptiesTheTableAndEndsTheTail()
    {
        // Given: an unknown table whose maximum a size update set to 100 (exact), a: 1 known
        var decoder = new HpackDecoder(tableKnown: false);
        Decode(decoder, [.. HpackTestEncoder.Integer(100, 5, 0x20), .. HpackTestEncoder.Literal("a", "1", indexing: true)]);
        var before = decoder.TableKnown;

        // When: an entry named after the unknown 63 with a 70-byte value: at least 102 bytes, above 100 (§4.4)
        var (result, fields, unknown) = Decode(decoder, HpackTestEncoder.Literal(63, new string('v', 70), indexing: true));
        var (past, _, _) = Decode(decoder, Hex.Parse("be"));

        // Then: the encoder's table is empty, and so known
        Assert.True(result.IsParsed);
        Assert.False(before);
        Assert.Equal((0, 1), (fields.Count, unknown));
        Assert.Equal((0, 0, true), (decoder.DynamicTableSize, decoder.DynamicTableCount, decoder.TableKnown));
        Assert.Equal((ReadStatus.Malformed, Beyond), (past.Status, past.Message));
    }

    [Fact]
    public void ForgetMakesEveryEntryUnknownAndKeepsTheMaximumSize()
    {
        // Given: C.3.1 and C.3.2 decoded from the start, :authority (63) and cache-control (62), and a size of 1000
        var decoder = new HpackDecoder(1000);
        Decode(decoder, Hex.Parse(C31));
        Decode(decoder, Hex.Parse(C32));
        var before = (decoder.DynamicTableSize, decoder.DynamicTableCount, decoder.TableKnown);

        // When: a header block is lost, then C.3.3 comes
        decoder.Forget();
        var forgotten = (decoder.DynamicTableSize, decoder.DynamicTableCount, decoder.TableKnown, decoder.DynamicTableMaxSize);
        var (result, fields, unknown) = Decode(decoder, Hex.Parse(C33));
        var (lookup, entries, lookupUnknown) = Decode(decoder, Hex.Parse("bebfc0"));

        // Then: :authority (63) is unknown, custom-key: custom-value, added after, is known
        Assert.Equal((110, 2, true), before);
        Assert.Equal((0, 0, false, 1000), forgotten);
        Assert.True(result.IsParsed && lookup.IsParsed);
        Assert.Equal([":method: GET", ":scheme: https", ":path: /index.html", "custom-key: custom-value"], fields);
        Assert.Equal(1, unknown);
        Assert.Equal(["custom-key: custom-value"], entries);
        Assert.Equal(2, lookupUnknown);
        Assert.Equal((54, 1, false), (decoder.DynamicTableSize, decoder.DynamicTableCount, decoder.TableKnown));
    }

    [Fact]
    public void SizeUpdateToZeroMakesTheTableKnownAndIndexesPastItMalformedAgain()
    {
        // Given: an unknown table with cache-control: no-cache known (C.3.2 without C.3.1)
        var decoder = new HpackDecoder(tableKnown: false);
        Decode(decoder, Hex.Parse(C32));

        // When: size 0; then (next block) 4096 again and C.3.1
        var (emptied, _, _) = Decode(decoder, Hex.Parse("20"));
        var afterZero = (decoder.DynamicTableSize, decoder.DynamicTableCount, decoder.TableKnown, decoder.DynamicTableMaxSize);
        var (zeroPast, _, _) = Decode(decoder, Hex.Parse("be"));
        var (again, fields, unknown) = Decode(decoder, Hex.Parse("3fe11f " + C31));
        var (inside, entries, _) = Decode(decoder, Hex.Parse("be"));
        var (past, _, _) = Decode(decoder, Hex.Parse("bf"));

        // Then
        Assert.True(emptied.IsParsed);
        Assert.Equal((0, 0, true, 0), afterZero);
        Assert.Equal((ReadStatus.Malformed, 0, Beyond), (zeroPast.Status, zeroPast.Offset, zeroPast.Message));
        Assert.True(again.IsParsed);
        Assert.Equal([":method: GET", ":scheme: http", ":path: /", ":authority: www.example.com"], fields);
        Assert.Equal(0, unknown);
        Assert.Equal((57, 1, true, 4096), (decoder.DynamicTableSize, decoder.DynamicTableCount, decoder.TableKnown, decoder.DynamicTableMaxSize));
        Assert.Equal((ReadStatus.Parsed, ":authority: www.example.com"), (inside.Status, entries.Single()));
        Assert.Equal((ReadStatus.Malformed, 0, Beyond), (past.Status, past.Offset, past.Message));
    }

    [Fact]
    public void KnownEntriesThatFillAnAssumedMaximumDoNotEndTheUnknownTail()
    {
        // Given: an unknown table, 4096 assumed (the encoder's may be larger, without a size update seen)
        var decoder = new HpackDecoder(tableKnown: false);

        // When: 64 entries of 64 bytes fill it exactly (x-00: 4 bytes of name, 28 of value, 32), then index 61 + 65, past them
        var adds = Enumerable.Range(0, 64).SelectMany(i => HpackTestEncoder.Literal($"x-{i:d2}", new string('v', 28), indexing: true)).ToArray();
        var (added, fields, _) = Decode(decoder, adds);
        var (past, _, unknown) = Decode(decoder, HpackTestEncoder.Indexed(61 + 65));

        // Then: no room is left, but the maximum is not known to be 4096: the entry may exist
        Assert.True(added.IsParsed);
        Assert.Equal(64, fields.Count);
        Assert.Equal((4096, 64, false), (decoder.DynamicTableSize, decoder.DynamicTableCount, decoder.TableKnown));
        Assert.Equal((ReadStatus.Parsed, 1), (past.Status, unknown));
    }

    [Fact]
    public void SizeUpdateInsideABlockChangesHowTheRestOfItIsRead()
    {
        // Given
        var decoder = new HpackDecoder(tableKnown: false);

        // When: 62 (unknown), size 0 (the table is known and empty), 62 again
        var (result, fields, unknown) = Decode(decoder, Hex.Parse("be 20 be"));

        // Then: the first is counted, the second is past the known table
        Assert.Equal((ReadStatus.Malformed, 2, Beyond), (result.Status, result.Offset, result.Message));
        Assert.Equal((0, 1, true), (fields.Count, unknown, decoder.TableKnown));
    }

    [Theory]
    [InlineData(256, false)] // 215 + 32 fits: an unknown entry of 32 to 41 bytes may be left
    [InlineData(247, false)]
    [InlineData(246, true)] // no room for any entry beyond the 215 bytes known
    [InlineData(240, true)]
    [InlineData(0, true)] // everything evicted
    public void SizeUpdateThatLeavesNoRoomBeyondTheKnownEntriesEndsTheUnknownTail(int maxSize, bool known)
    {
        // Given: C.5.2 and C.5.3 without C.5.1: 215 bytes known in 3 entries, the 256 bytes assumed
        var decoder = new HpackDecoder(256, tableKnown: false);
        Decode(decoder, Hex.Parse(C52));
        Decode(decoder, Hex.Parse(C53));

        // When: a size update sets the maximum exactly, then 65 (past the known entries) is looked up
        var (result, _, _) = Decode(decoder, HpackTestEncoder.Integer(maxSize, 5, 0x20));
        var table = (decoder.DynamicTableSize, decoder.DynamicTableCount, decoder.TableKnown);
        var (past, _, unknown) = Decode(decoder, Hex.Parse("c1"));

        // Then
        Assert.True(result.IsParsed);
        Assert.Equal(maxSize == 0 ? (0, 0, true) : (215, 3, known), table);
        Assert.Equal(known ? (ReadStatus.Malformed, 0) : (ReadStatus.Parsed, 1), (past.Status, unknown));
    }

    [Theory]
    [InlineData(false, 61 + 65536 / 32, true)] // the most entries a table of 64 KiB can hold: unknown
    [InlineData(false, 61 + 65536 / 32 + 1, false)]
    [InlineData(false, int.MaxValue, false)]
    [InlineData(true, 61 + 4096 / 32, true)] // after a size update to 4096, that maximum bounds it
    [InlineData(true, 61 + 4096 / 32 + 1, false)]
    public void IndexNoTableOfTheMaximumSizeCanHoldIsMalformedEvenWhenUnknown(bool sizeUpdate, int index, bool unknown)
    {
        // Given: an unknown table, its maximum assumed, or set by a size update
        var decoder = new HpackDecoder(tableKnown: false);
        if (sizeUpdate)
        {
            Decode(decoder, HpackTestEncoder.Integer(4096, 5, 0x20));
        }

        // When: the index as an indexed field, and as the name of each kind of literal
        byte[][] blocks =
        [
            [.. HpackTestEncoder.Indexed(index)],
            [.. HpackTestEncoder.Integer(index, 6, 0x40), 0x00],
            [.. HpackTestEncoder.Integer(index, 4, 0x00), 0x00],
            [.. HpackTestEncoder.Integer(index, 4, 0x10), 0x00],
        ];
        var results = blocks.Select(block => Decode(decoder, block)).ToList();

        // Then
        Assert.False(decoder.TableKnown);
        Assert.All(results, r => Assert.Empty(r.Fields));
        (ReadStatus, int, string, int)[] expected = unknown
            ? [(ReadStatus.Parsed, 0, "", 1), (ReadStatus.Parsed, 0, "", 1), (ReadStatus.Parsed, 0, "", 1), (ReadStatus.Parsed, 0, "", 1)]
            : [(ReadStatus.Malformed, 0, Beyond, 0), (ReadStatus.Malformed, 0, NameBeyond, 0), (ReadStatus.Malformed, 0, NameBeyond, 0), (ReadStatus.Malformed, 0, NameBeyond, 0)];
        Assert.Equal(expected, results.Select(r => (r.Result.Status, r.Result.Offset, r.Result.Message, r.Unknown)));
    }

    [Fact]
    public void IndexZeroAndBadHuffmanAreMalformedEvenWhenUnknown()
    {
        // Given
        var decoder = new HpackDecoder(tableKnown: false);

        // When: index 0; a literal named after an unknown entry whose value has 8 bits of padding; a truncated value
        var (zero, _, _) = Decode(decoder, Hex.Parse("be 80"));
        var (huffman, _, _) = Decode(decoder, Hex.Parse("7f00 81ff"));
        var (truncated, _, _) = Decode(decoder, Hex.Parse("7f00 05 6162"));

        // Then
        Assert.Equal((ReadStatus.Malformed, 1, "indexed field with index 0"), (zero.Status, zero.Offset, zero.Message));
        Assert.Equal((ReadStatus.Malformed, 2, "Huffman string holds EOS or padding that is not up to 7 one bits"), (huffman.Status, huffman.Offset, huffman.Message));
        Assert.Equal((ReadStatus.Malformed, 2, "string literal runs past the header block"), (truncated.Status, truncated.Offset, truncated.Message));
    }

    [Theory]
    [InlineData("known", 100, false)] // known from its start: it stays known and empty
    [InlineData("assumed", 100, true)] // the encoder's maximum may be larger, and have kept it and older ones
    [InlineData("assumed", 5000, true)]
    [InlineData("size-update", 100, false)] // an exact maximum: the encoder emptied its table too
    public void EntryLargerThanTheMaximumEndsTheUnknownTailOnlyWhenTheMaximumIsExact(string start, int valueLength, bool tail)
    {
        // Given: a table of 100 holding a: 1
        var table = new HpackDynamicTable(start == "size-update" ? 4096 : 100, known: start == "known");
        if (start == "size-update")
        {
            table.SetMaxSize(100);
        }

        table.Add("a"u8, "1"u8);

        // When: an entry of at least 1 + 100 + 32 bytes (§4.4)
        table.Add("b"u8, new byte[valueLength]);

        // Then: the known entries are gone either way
        Assert.Equal((0, 0, tail, start != "assumed"), (table.Size, table.Count, table.HasUnknownTail, table.MaxSizeExact));
    }

    [Fact]
    public void ExactMaximumEndsTheUnknownTailOnceTheKnownEntriesFillIt()
    {
        // Given: an unknown table, a size update to 200 (exact), an entry of 92
        var table = new HpackDynamicTable(4096, known: false);
        table.SetMaxSize(200);
        table.Add(new byte[30], new byte[30]);
        var afterOne = (table.Size, table.HasUnknownTail);

        // When: a second one: 184 + 32 > 200, no room is left for an entry not known
        table.Add(new byte[30], new byte[30]);

        // Then
        Assert.Equal((92, true), afterOne);
        Assert.Equal((184, 2, false, true), (table.Size, table.Count, table.HasUnknownTail, table.MaxSizeExact));
    }

    [Fact]
    public void MarkAllUnknownMakesTheMaximumOnlyAssumed()
    {
        // Given: a known table, the maximum set exactly to 200, an entry of 92
        var table = new HpackDynamicTable(200);
        table.Add(new byte[30], new byte[30]);

        // When: everything is forgotten, then two entries of 92 are added
        table.MarkAllUnknown();
        var forgotten = (table.Size, table.Count, table.HasUnknownTail, table.MaxSizeExact, table.MaxSize);
        table.Add(new byte[30], new byte[30]);
        table.Add(new byte[30], new byte[30]);

        // Then: 184 known, but a lost size update may have raised the maximum: the tail stays
        Assert.Equal((0, 0, true, false, 200), forgotten);
        Assert.Equal((184, 2, true), (table.Size, table.Count, table.HasUnknownTail));
        Assert.False(table.TryGet(3, out _, out _));
    }

    [Fact]
    public void RandomBlocksInUnknownModeNeverThrow()
    {
        // Given: one decoder kept through every result, forgotten again whenever it becomes known
        var random = new Random(7541);
        var decoder = new HpackDecoder(tableKnown: false);
        var outcomes = new Dictionary<(ReadStatus, bool), int>();
        for (var i = 0; i < 20000; i++)
        {
            var block = random.Next(2) == 0 ? RandomBytes(random) : RandomRepresentations(random);

            // When
            var (result, fields, unknown) = Decode(decoder, block);

            // Then
            var key = (result.Status, unknown > 0);
            outcomes[key] = outcomes.GetValueOrDefault(key) + 1;
            Assert.True(result.IsParsed ? result.Consumed == block.Length : result.IsMalformed && result.Error == WireError.Http2BadHeaderBlock, result.ToString());
            Assert.InRange(unknown, 0, block.Length);
            Assert.InRange(fields.Count + unknown, 0, block.Length);
            Assert.InRange(decoder.DynamicTableSize, 0, decoder.DynamicTableMaxSize);
            if (decoder.TableKnown || random.Next(100) == 0)
            {
                Decode(decoder, HpackTestEncoder.Integer(random.Next(32, HpackDecoder.MaxTableSize + 1), 5, 0x20));
                decoder.Forget();
            }
        }

        Assert.True(outcomes.GetValueOrDefault((ReadStatus.Parsed, true)) > 1000);
        Assert.True(outcomes.GetValueOrDefault((ReadStatus.Parsed, false)) > 1000);
        Assert.True(outcomes.GetValueOrDefault((ReadStatus.Malformed, true)) > 100);
        Assert.True(outcomes.GetValueOrDefault((ReadStatus.Malformed, false)) > 100);
        Assert.DoesNotContain(outcomes.Keys, k => k.Item1 == ReadStatus.NeedMore);
    }

    public static TheoryData<int, int, string> JoinedDecoders()
    {
        var data = new TheoryData<int, int, string>();
        foreach (var seed in new[] { 1, 2, 3, 4 })
        {
            foreach (var joinAfter in new[] { 0, 1, 5, 40, 150 })
            {
                data.Add(seed, joinAfter, "same-size");
            }
        }

        foreach (var seed in new[] { 5, 6, 7 })
        {
            foreach (var joinAfter in new[] { 10, 60 })
            {
                data.Add(seed, joinAfter, "assumed-size"); // the encoder's size updates before the join are not seen
                data.Add(seed, joinAfter, "larger-table"); // 16384 before the join and never updated: 4096 is too small; the
                                                           // known entries fill it (fields named among the newest 8)
                data.Add(seed, joinAfter, "smaller-table"); // 1024 before the join and never updated: 4096 is too large
                data.Add(seed, joinAfter, "small-table"); // 256 bytes, values up to 300: much eviction
                data.Add(seed, joinAfter, "lossy"); // now and then a lost block and Forget
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(JoinedDecoders))]
    public void DecoderThatJoinsLateNeverHandsOnAFieldTheEncoderDidNotMean(int seed, int joinAfter, string variant) =>
        RunJoined(seed, joinAfter, variant);

    /// <summary>
    /// One run of <see cref="DecoderThatJoinsLateNeverHandsOnAFieldTheEncoderDidNotMean"/>; returns the placeholders
    /// held after each block, summed, and how many probes found a known entry older than a placeholder.
    /// </summary>
    private static (int PlaceholdersHeld, int KnownBehindPlaceholders) RunJoined(int seed, int joinAfter, string variant)
    {
        // Given: a model encoder from the connection's start, a decoder that sees every block, and two that join
        // after joinAfter blocks (one fed each representation on its own, to pair each field with the one meant)
        const int blocks = 400;
        var encoder = variant switch
        {
            "same-size" => new HpackModelEncoder(seed) { SizeUpdateOdds = 40 },
            "assumed-size" => new HpackModelEncoder(seed, 16384) { SizeUpdateOdds = 15 },
            "larger-table" => new HpackModelEncoder(seed, 16384, 100, initialMaxSize: 16384) { SizeUpdateOdds = 0, ReferenceWindow = 8 },
            "smaller-table" => new HpackModelEncoder(seed, 1024, initialMaxSize: 1024) { SizeUpdateOdds = 0 },
            "small-table" => new HpackModelEncoder(seed, 256, 300) { SizeUpdateOdds = 15 },
            _ => new HpackModelEncoder(seed) { SizeUpdateOdds = 15 },
        };
        var random = new Random(seed);
        var full = new HpackDecoder(encoder.MaxSize);
        HpackDecoder? byRepresentation = null;
        HpackDecoder? byBlock = null;
        var exact = variant is "same-size" or "small-table";
        var (meant, handed, unknownTotal, unknownLate, probes) = (0, 0, 0, 0, 0);
        var (placeholdersHeld, knownBehindPlaceholders, behindPlaceholder) = (0, 0, false);
        for (var b = 0; b < blocks; b++)
        {
            if (b == joinAfter)
            {
                // Mid-stream the maximum size is assumed: the encoder's own, or the default one
                var assumed = variant is "assumed-size" or "larger-table" or "smaller-table" ? HpackDecoder.DefaultTableSize : encoder.MaxSize;
                byRepresentation = new HpackDecoder(assumed, tableKnown: false);
                byBlock = new HpackDecoder(assumed, tableKnown: false);
            }

            var representations = encoder.NextBlock();
            var block = representations.SelectMany(r => r.Bytes).ToArray();
            var expected = representations.Where(r => r.Field is not null).Select(r => r.Field!).ToList();

            // When: the full decoder
            var (fullResult, fullFields, fullUnknown) = Decode(full, block);

            // Then: it hands on every field meant
            Assert.True(fullResult.IsParsed, $"seed {seed}, block {b}: {fullResult}");
            Assert.Equal(expected, fullFields);
            Assert.Equal((0, true), (fullUnknown, full.TableKnown));
            Assert.Equal((encoder.Size, encoder.Count), (full.DynamicTableSize, full.DynamicTableCount));
            if (byRepresentation is null || byBlock is null)
            {
                continue;
            }

            if (variant == "lossy" && random.Next(40) == 0)
            {
                // A lost block: whatever it added or changed is not known
                byRepresentation.Forget();
                byBlock.Forget();
                continue;
            }

            // When: the late decoders
            var known = new List<string>();
            var unknown = 0;
            foreach (var representation in representations)
            {
                var (result, fields, count) = Decode(byRepresentation, representation.Bytes);

                // Then: each representation is its field, or unknown, never another field nor malformed
                Assert.True(result.IsParsed, $"seed {seed}, block {b}: {result}");
                if (representation.Field is null)
                {
                    Assert.Equal((0, 0), (fields.Count, count));
                }
                else if (count == 0)
                {
                    Assert.Equal([representation.Field], fields);
                    known.Add(representation.Field);
                }
                else
                {
                    Assert.Equal((0, 1), (fields.Count, count));
                    unknown++;
                }
            }

            var (blockResult, blockFields, blockUnknown) = Decode(byBlock, block);
            Assert.True(blockResult.IsParsed, $"seed {seed}, block {b}: {blockResult}");
            Assert.Equal(known, blockFields);
            Assert.Equal(unknown, blockUnknown);
            Assert.Equal(
                (byRepresentation.DynamicTableSize, byRepresentation.DynamicTableCount, byRepresentation.TableKnown),
                (byBlock.DynamicTableSize, byBlock.DynamicTableCount, byBlock.TableKnown));

            // And the held entries are the newest ones of the encoder's table, each the same field or a placeholder;
            // their size, placeholders at their least, is at most the encoder's for the same entries
            var shared = Math.Min(byBlock.DynamicTableCount, full.DynamicTableCount);
            var (placeholders, sharedSize) = (0, 0);
            for (var i = HpackStaticTable.Count + 1; i <= HpackStaticTable.Count + shared; i++)
            {
                var entry = Assert.Single(Decode(full, HpackTestEncoder.Indexed(i)).Fields);
                var (probe, probeFields, probeUnknown) = Decode(byBlock, HpackTestEncoder.Indexed(i));
                Assert.True(probe.IsParsed);
                if (probeUnknown == 1)
                {
                    placeholders++;
                    behindPlaceholder = true;
                }
                else
                {
                    Assert.Equal([entry], probeFields);
                    knownBehindPlaceholders += behindPlaceholder ? 1 : 0;
                }

                sharedSize += entry.Length - 2 + HpackDynamicTable.EntryOverhead; // "name: value"
            }

            behindPlaceholder = false;
            Assert.True(placeholders <= byBlock.DynamicTableNamelessCount, $"seed {seed}, block {b}");
            if (byBlock.DynamicTableCount <= full.DynamicTableCount)
            {
                Assert.True(byBlock.DynamicTableSize <= sharedSize, $"seed {seed}, block {b}: {byBlock.DynamicTableSize} > {sharedSize}");
            }

            probes += shared;
            if (exact && byBlock.DynamicTableNamelessCount == 0)
            {
                // Without placeholders the sizes are exact: nothing is held that the encoder dropped
                Assert.True(byBlock.DynamicTableCount <= full.DynamicTableCount, $"seed {seed}, block {b}");
            }

            placeholdersHeld += byBlock.DynamicTableNamelessCount;

            if (byBlock.TableKnown)
            {
                Assert.True(exact ? byBlock.DynamicTableCount == full.DynamicTableCount : byBlock.DynamicTableCount >= full.DynamicTableCount, $"seed {seed}, block {b}");
            }

            meant += expected.Count;
            handed += known.Count;
            unknownTotal += unknown;
            unknownLate += b >= blocks * 3 / 4 ? unknown : 0;
        }

        // And: nothing is lost twice, most is handed on, and the table is learnt again
        Assert.Equal(meant, handed + unknownTotal);
        Assert.True(handed > meant / 2, $"{handed} of {meant}");
        Assert.True(probes > 0);
        if (joinAfter == 0 && exact)
        {
            Assert.Equal(0, unknownTotal);
        }

        if (variant != "lossy")
        {
            Assert.Equal(0, unknownLate);
        }

        return (placeholdersHeld, knownBehindPlaceholders);
    }

    [Fact]
    public void JoinedRunsOfEveryVariantHoldPlaceholdersAndKnownEntriesBehindThem()
    {
        // Given: the runs above, by variant
        var met = new Dictionary<string, (int PlaceholdersHeld, int KnownBehindPlaceholders)>();
        foreach (var row in JoinedDecoders())
        {
            var (seed, joinAfter, variant) = ((int)row[0], (int)row[1], (string)row[2]);

            // When
            var (held, behind) = RunJoined(seed, joinAfter, variant);
            var sum = met.GetValueOrDefault(variant);
            met[variant] = (sum.PlaceholdersHeld + held, sum.KnownBehindPlaceholders + behind);
        }

        // Then: the cross-check met placeholders, and known entries older than them read right, in every variant
        Assert.Equal(["assumed-size", "larger-table", "lossy", "same-size", "small-table", "smaller-table"], met.Keys.Order());
        Assert.All(met, m => Assert.True(m.Value.PlaceholdersHeld > 0 && m.Value.KnownBehindPlaceholders > 0, $"{m.Key}: {m.Value}"));
    }

    [Fact]
    public void SomeLateDecoderMeetsEveryKindOfUnknownAndEndsItsTail()
    {
        // Given: the encoder of the same-size runs, joined after 40 blocks
        var (unknownIndexed, unknownNames, becameKnown) = (0, 0, 0);
        foreach (var seed in new[] { 1, 2, 3, 4 })
        {
            var encoder = new HpackModelEncoder(seed) { SizeUpdateOdds = 40 };
            for (var b = 0; b < 40; b++)
            {
                encoder.NextBlock();
            }

            var decoder = new HpackDecoder(encoder.MaxSize, tableKnown: false);
            for (var b = 0; b < 360; b++)
            {
                // When
                foreach (var representation in encoder.NextBlock())
                {
                    var wasKnown = decoder.TableKnown;
                    var (result, _, unknown) = Decode(decoder, representation.Bytes);
                    Assert.True(result.IsParsed);
                    unknownIndexed += unknown > 0 && (representation.Bytes[0] & 0x80) != 0 ? 1 : 0;
                    unknownNames += unknown > 0 && (representation.Bytes[0] & 0x80) == 0 ? 1 : 0;
                    becameKnown += !wasKnown && decoder.TableKnown ? 1 : 0;
                }
            }
        }

        // Then: the cross-check above is not empty
        Assert.True(unknownIndexed > 20, $"{unknownIndexed}");
        Assert.True(unknownNames > 5, $"{unknownNames}");
        Assert.True(becameKnown > 0, $"{becameKnown}");
    }

    [Fact]
    public void DecodingAllocatesNothingOnceWarmedUpInUnknownMode()
    {
        // Given: an unknown table; a block naming an unknown entry, adding one named after an unknown entry with a
        // long Huffman value, adding a known one and naming it, then C.4.3 (its 63 unknown)
        var value = Encoding.ASCII.GetBytes(new string('v', 300));
        byte[] block =
        [
            .. HpackTestEncoder.Indexed(70),
            .. HpackTestEncoder.Integer(70, 6, 0x40), .. HpackTestEncoder.String(value, huffman: true),
            .. HpackTestEncoder.Literal("x-name", "x-value", indexing: true, huffman: true),
            .. HpackTestEncoder.Indexed(62),
            .. Hex.Parse(C43),
        ];
        var decoder = new HpackDecoder(tableKnown: false);
        var counter = new FieldCounter();
        for (var i = 0; i < 200; i++)
        {
            Assert.True(decoder.Decode(block, counter).IsParsed);
        }

        // When: the least of a few rounds (see ProtocolAllocationTests)
        var allocated = long.MaxValue;
        var unknown = 0;
        for (var round = 0; round < 5 && allocated != 0; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 1000; i++)
            {
                counter.Malformed += decoder.Decode(block, counter).IsMalformed ? 1 : 0;
                unknown = Math.Max(unknown, decoder.UnknownFields);
            }

            allocated = Math.Min(allocated, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        // Then: 70, the name of the second, and C.4.3's 63 are unknown each time (a placeholder, once warm, is each)
        Assert.Equal(0, counter.Malformed);
        Assert.Equal(3, unknown);
        Assert.True(counter.Bytes > 0);
        Assert.False(decoder.TableKnown);
        Assert.Equal(0, allocated);
    }

    private static byte[] RandomBytes(Random random)
    {
        var block = new byte[random.Next(0, 40)];
        random.NextBytes(block);
        return block;
    }

    /// <summary>Representations with random indexes (many past the known entries), sizes and strings, now and then cut short.</summary>
    private static byte[] RandomRepresentations(Random random)
    {
        var bytes = new List<byte>();
        var count = random.Next(1, 6);
        for (var i = 0; i < count; i++)
        {
            var index = random.Next(4) == 0 ? random.Next(0, 3000) : random.Next(0, 100);
            var value = HpackTestEncoder.String(Encoding.ASCII.GetBytes(new string('v', random.Next(0, 50))), random.Next(2) == 0);
            bytes.AddRange(random.Next(6) switch
            {
                0 => HpackTestEncoder.Indexed(index),
                1 => [.. HpackTestEncoder.Integer(index, 6, 0x40), .. value],
                2 => [.. HpackTestEncoder.Integer(index, 4, 0x00), .. value],
                3 => [.. HpackTestEncoder.Integer(index, 4, 0x10), .. value],
                4 => HpackTestEncoder.Integer(random.Next(0, 70000), 5, 0x20),
                _ => HpackTestEncoder.Literal("n" + random.Next(10), "v", indexing: true, huffman: random.Next(2) == 0),
            });
        }

        var length = random.Next(8) == 0 ? random.Next(0, bytes.Count + 1) : bytes.Count;
        return [.. bytes.Take(length)];
    }

    private static (ParseResult Result, List<string> Fields, int Unknown) Decode(HpackDecoder decoder, byte[] block)
    {
        var fields = new FieldList();
        var result = decoder.Decode(block, fields);
        return (result, fields.Fields, decoder.UnknownFields);
    }
}
