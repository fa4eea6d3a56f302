using System.Text;
using KubeTriage.Capture.Flows;
using KubeTriage.Capture.Primitives;
using KubeTriage.Capture.Protocols;
using KubeTriage.Capture.Protocols.Http;
using KubeTriage.Capture.Protocols.Http2;
using KubeTriage.Capture.Tests.Protocols.Support;
using KubeTriage.Capture.Tests.Support;
using static KubeTriage.Capture.Tests.Protocols.Http2.Http2Bytes;

namespace KubeTriage.Capture.Tests.Protocols.Http2;

public class Http2StreamDissectorTests
{
    private const long Ms = 1_000_000;

    // A gRPC unary call: the client's one segment, then the server's three.
    private static readonly byte[] RequestBlock = Block(GrpcRequest("/shop.Orders/Get"));
    private static readonly byte[] ResponseBlock = Block(GrpcResponse);
    private static readonly byte[] TrailersBlock = Block(("grpc-status", "0"));

    private static readonly byte[] UnaryClient =
        [.. Preface, .. Settings((0x3, 100), (0x4, 65535)), .. Headers(1, RequestBlock), .. Data(1, GrpcMessage(12), endStream: true)];

    private static readonly byte[] UnaryServerHead = [.. Settings((0x5, 16384)), .. SettingsAck(), .. Headers(1, ResponseBlock)];
    private static readonly byte[] UnaryServerData = Data(1, GrpcMessage(30));
    private static readonly byte[] UnaryServerTrailers = Headers(1, TrailersBlock, endStream: true);

    private static readonly long UnaryResponseBytes = (9 + ResponseBlock.Length) + (9 + 35) + (9 + TrailersBlock.Length);

    private static StreamConversation Conversation(bool swapped = false, ProtocolOptions? options = null) =>
        new(context => new Http2StreamDissector(context, options ?? ProtocolOptions.Default, new TextCache(), swapped), midStream: swapped, swapped: swapped);

    /// <summary>The client's preface and SETTINGS, then HEADERS opening each stream (literals, no indexing), in one segment.</summary>
    private static byte[] Open(params (int Stream, string Path)[] streams) =>
        [.. Preface, .. Settings(), .. streams.SelectMany(s => Headers(s.Stream, Block(GrpcRequest(s.Path)), endStream: false))];

    private static (int? Status, long? FirstByte, long? LastByte, long Bytes, long? ResponseFrame) Response(HttpTransaction t) =>
        (t.Status, t.FirstByteTimeNs, t.LastByteTimeNs, t.ResponseBytes, t.ResponseFrame);

    private static (uint? ResetCode, bool ByClient, long? ResetTime, int? Status, long? FirstByte, long? LastByte, long Bytes) Reset(HttpTransaction t) =>
        (t.ResetCode, t.ResetByClient, t.ResetTimeNs, t.Status, t.FirstByteTimeNs, t.LastByteTimeNs, t.ResponseBytes);

    // ---- Calls ----

    [Fact]
    public void GrpcUnaryCallIsOneTransactionWithTimesFramesAndResponseBytes()
    {
        // Given
        var c = Conversation();

        // When: the request at 1 ms; the response headers at 2 ms, its DATA at 3 ms, the trailers at 4 ms
        c.Client(UnaryClient);
        c.Server(UnaryServerHead);
        c.Server(UnaryServerData);
        var beforeTrailers = c.Sink.Http.Count;
        c.Server(UnaryServerTrailers);

        // Then
        Assert.Equal(0, beforeTrailers);
        var t = Assert.Single(c.Sink.Http);
        Assert.Equal((HttpTransaction.Http2, true, "POST", "orders.shop:50051", "/shop.Orders/Get", (int?)200, (int?)0), (t.Version, t.Grpc, t.Method, t.Host, t.Path, t.Status, t.GrpcStatus));
        Assert.Equal((1 * Ms, (long?)(2 * Ms), (long?)(4 * Ms), 1L, (long?)2), (t.RequestTimeNs, t.FirstByteTimeNs, t.LastByteTimeNs, t.RequestFrame, t.ResponseFrame));
        Assert.Equal((UnaryResponseBytes, 1, (uint?)null, false, (long?)null, (string?)null, 0), (t.ResponseBytes, t.StreamId, t.ResetCode, t.ResetByClient, t.ResetTimeNs, t.GrpcMessage, t.Gaps));
        Assert.Equal((StreamConversation.ClientEndpoint, StreamConversation.ServerEndpoint, "f"), (t.Client, t.Server, t.File));
        Assert.Empty(c.Sink.Diagnostics);
        Assert.Equal((0, 0), (c.Buffered(fromClient: true), c.Buffered(fromClient: false)));
    }

    [Fact]
    public void TrailersOnlyResponseCarriesTheGrpcStatusAndItsDecodedMessage()
    {
        // Given
        var c = Conversation();
        c.Client(UnaryClient);
        var block = Block((":status", "200"), ("content-type", "application/grpc"), ("grpc-status", "14"), ("grpc-message", "no%20healthy%20upstream"));

        // When
        c.Server(Headers(1, block, endStream: true));

        // Then
        var t = Assert.Single(c.Sink.Http);
        Assert.Equal(((int?)200, (int?)14, "no healthy upstream"), (t.Status, t.GrpcStatus, t.GrpcMessage));
        Assert.Equal(((int?)200, (long?)(2 * Ms), (long?)(2 * Ms), 9L + block.Length, (long?)2), Response(t));
    }

    [Theory]
    [InlineData("plain text", "plain text")]
    [InlineData("100%25 done", "100% done")]
    [InlineData("%E2%9C%93%20ok", "\u2713 ok")] // percent-encoded UTF-8
    [InlineData("%e2%9c%93", "\u2713")] // lower-case hex digits too
    [InlineData("50%", "50%")] // a % too near the end stays
    [InlineData("50%2", "50%2")]
    [InlineData("%zz%4", "%zz%4")] // not hex: kept as is
    [InlineData("", "")]
    public void GrpcMessageIsPercentDecoded(string sent, string reported)
    {
        // Given
        var c = Conversation();
        c.Client(UnaryClient);

        // When
        c.Server(Headers(1, Block((":status", "200"), ("grpc-status", "2"), ("grpc-message", sent)), endStream: true));

        // Then
        Assert.Equal(((int?)2, reported), (Assert.Single(c.Sink.Http).GrpcStatus, Assert.Single(c.Sink.Http).GrpcMessage));
    }

    [Theory]
    [InlineData("100", null)] // more digits than any gRPC code
    [InlineData("1x", null)]
    [InlineData("", null)]
    [InlineData("16", 16)]
    public void GrpcStatusThatIsNoCodeIsNotReported(string sent, int? reported)
    {
        // Given
        var c = Conversation();
        c.Client(UnaryClient);

        // When
        c.Server(Headers(1, Block((":status", "200"), ("grpc-status", sent)), endStream: true));

        // Then
        Assert.Equal(reported, Assert.Single(c.Sink.Http).GrpcStatus);
    }

    [Fact]
    public void MultiplexedStreamsAnsweredOutOfOrderAreEachReportedWhenTheyEnd()
    {
        // Given: three calls in one segment
        var c = Conversation();
        c.Client(
            Open((1, "/shop.Orders/Get"), (3, "/shop.Orders/List"), (5, "/shop.Cart/Add")),
            Data(1, GrpcMessage(3), endStream: true),
            Data(3, GrpcMessage(4), endStream: true),
            Data(5, GrpcMessage(5), endStream: true));

        // When: 5 and 3 get their headers and 3 a first DATA (2 ms); 5 ends (3 ms); 1 gets a 503 at once (4 ms); 3 ends (5 ms)
        c.Server(Settings(), Headers(5, ResponseBlock), Headers(3, ResponseBlock), Data(3, GrpcMessage(100)));
        var afterHeaders = c.Sink.Http.Count;
        c.Server(Headers(5, Block(("grpc-status", "5"), ("grpc-message", "cart not found")), endStream: true));
        var afterFive = c.Sink.Http.Select(t => t.StreamId).ToList();
        c.Server(Headers(1, Block((":status", "503")), endStream: true));
        c.Server(Data(3, GrpcMessage(50)), Headers(3, TrailersBlock, endStream: true));

        // Then
        Assert.Equal(0, afterHeaders);
        Assert.Equal([5], afterFive);
        Assert.Equal(
            [(5, "/shop.Cart/Add", (int?)200, (int?)5, (long?)(3 * Ms)), (1, "/shop.Orders/Get", 503, null, 4 * Ms), (3, "/shop.Orders/List", 200, 0, 5 * Ms)],
            c.Sink.Http.Select(t => (t.StreamId, t.Path, t.Status, t.GrpcStatus, t.LastByteTimeNs)));
        Assert.Equal((long?)(2 * Ms), c.Sink.Http[2].FirstByteTimeNs);
        Assert.Equal(9L + ResponseBlock.Length + 9 + 105 + 9 + 55 + 9 + TrailersBlock.Length, c.Sink.Http[2].ResponseBytes);
        Assert.Equal("cart not found", c.Sink.Http[0].GrpcMessage);
        Assert.Empty(c.Sink.Diagnostics);
    }

    [Fact]
    public void PlainH2cRequestTakesItsHostFromTheHostHeaderWhenThereIsNoAuthority()
    {
        // Given: a GET with END_STREAM on its HEADERS, no :authority, no gRPC
        var c = Conversation();
        c.Client(Preface, Settings(), Headers(1, Block((":method", "GET"), (":scheme", "http"), (":path", "/healthz"), ("host", "api.shop")), endStream: true));

        // When: an interim 103, then the final answer and its empty body
        var interim = Block((":status", "103"));
        var final = Block((":status", "204"));
        c.Server(Headers(1, interim));
        c.Server(Headers(1, final), Data(1, [], endStream: true));

        // Then: the final status and its time, the interim frame counted in the bytes
        var t = Assert.Single(c.Sink.Http);
        Assert.Equal(("GET", "api.shop", "/healthz", false, (int?)null), (t.Method, t.Host, t.Path, t.Grpc, t.GrpcStatus));
        Assert.Equal(((int?)204, (long?)(3 * Ms), (long?)(3 * Ms), 9L + interim.Length + 9 + final.Length + 9, (long?)3), Response(t));
    }

    [Fact]
    public void PathLongerThanTheLimitIsCutWithAnEllipsis()
    {
        // Given
        var c = Conversation(options: ProtocolOptions.Default with { MaxPathBytes = 8 });

        // When
        c.Client(Preface, Settings(), Headers(1, Block(GrpcRequest("/shop.Orders/Get")), endStream: true));
        c.End();

        // Then
        Assert.Equal("/shop.Or\u2026", Assert.Single(c.Sink.Http).Path);
    }

    [Fact]
    public void ClientTrailersDoNotOpenAnotherStream()
    {
        // Given: a client-streaming call that ends with trailers of its own
        var c = Conversation();

        // When
        c.Client(Open((1, "/shop.Upload/Put")), Data(1, GrpcMessage(10)), Headers(1, Block(("x-checksum", "abc")), endStream: true));
        c.Server(Headers(1, Block((":status", "200"), ("grpc-status", "0")), endStream: true));
        c.End();

        // Then
        var t = Assert.Single(c.Sink.Http);
        Assert.Equal(("/shop.Upload/Put", (int?)200, (int?)0), (t.Path, t.Status, t.GrpcStatus));
    }

    [Fact]
    public void ResponseOnAStreamTheCaptureDidNotSeeOpenIsIgnored()
    {
        // Given
        var c = Conversation();
        c.Client(Open((1, "/a")));

        // When: the server answers stream 7, never requested here
        c.Server(Headers(7, Block((":status", "200"))), Data(7, GrpcMessage(4), endStream: true), RstStream(7, Cancel));
        c.End();

        // Then
        Assert.Equal([(1, (int?)null)], c.Sink.Http.Select(t => (t.StreamId, t.Status)));
        Assert.Empty(c.Sink.Diagnostics);
    }

    [Fact]
    public void ControlAndExtensionFramesBetweenAreSkipped()
    {
        // Given
        var c = Conversation();
        c.Client(Preface, Settings(), WindowUpdate(0, 1 << 20), Priority(1, 0, 200), Headers(1, RequestBlock), Ping());

        // When: PING, WINDOW_UPDATEs, SETTINGS ACK, a PRIORITY and an unknown type (0xb) between the response frames
        c.Server(Settings(), Ping(ack: true), Headers(1, ResponseBlock), WindowUpdate(1, 100), Frame(0xb, 0xff, 1, "unknown"u8));
        c.Client(SettingsAck(), Data(1, GrpcMessage(12), endStream: true), Frame(0xb, 0, 0, []));
        c.Server(Priority(1), Data(1, GrpcMessage(30), padding: 16), SettingsAck(), Headers(1, TrailersBlock, endStream: true));

        // Then: only HEADERS and DATA count in the bytes; the padded DATA with its padding
        var t = Assert.Single(c.Sink.Http);
        Assert.Equal(((int?)200, (long?)(2 * Ms), (long?)(4 * Ms), 9L + ResponseBlock.Length + 9 + 1 + 35 + 16 + 9 + TrailersBlock.Length, (long?)2), Response(t));
        Assert.Empty(c.Sink.Diagnostics);
    }

    [Fact]
    public void MoreOpenStreamsThanTheLimitReportTheOldestAtOnce()
    {
        // Given: as many open streams as kept
        var c = Conversation();
        c.Client(Open([.. Enumerable.Range(0, Http2StreamDissector.MaxOpenStreams).Select(i => (2 * i + 1, $"/p/{i}"))]));
        var whenFull = c.Sink.Http.Count;

        // When: one more
        c.Client(Headers(2 * Http2StreamDissector.MaxOpenStreams + 1, Block(GrpcRequest("/one-more"))));

        // Then: the oldest, unanswered; the rest at the end
        var oldest = Assert.Single(c.Sink.Http);
        Assert.Equal((0, 1, "/p/0", (int?)null), (whenFull, oldest.StreamId, oldest.Path, oldest.Status));
        c.End();
        Assert.Equal(Http2StreamDissector.MaxOpenStreams + 1, c.Sink.Http.Count);
        Assert.Equal("/one-more", c.Sink.Http[^1].Path);
    }

    // ---- Splits ----

    [Fact]
    public void EveryByteOnItsOwnGivesTheSameTransaction()
    {
        // Given: case 1 fed whole, four segments
        var segments = UnarySegments();
        var whole = Feed(segments, _ => int.MaxValue);

        // When: every segment one byte at a time, each byte with its segment's time and frame
        var split = Feed(segments, _ => 1);

        // Then
        Assert.Equal(whole.Http, split.Http);
        Assert.Single(whole.Http);
        Assert.Empty(split.Diagnostics);
    }

    [Fact]
    public void TwoPiecesAtEverySplitPointGiveTheSameTransaction()
    {
        // Given: the whole client byte stream (at 1 ms) and the whole server byte stream (at 2 ms)
        (bool FromClient, byte[] Bytes, long TimeNs, long Frame)[] streams =
        [
            (true, UnaryClient, 1 * Ms, 1),
            (false, [.. UnaryServerHead, .. UnaryServerData, .. UnaryServerTrailers], 2 * Ms, 2),
        ];
        var whole = Assert.Single(Feed(streams, _ => int.MaxValue).Http);
        Assert.Equal((200, 0), (whole.Status, whole.GrpcStatus));

        for (var side = 0; side < 2; side++)
        {
            for (var at = 1; at < streams[side].Bytes.Length; at++)
            {
                // When
                var sink = Feed(streams, segment => segment == side ? at : int.MaxValue, pieces: 2);

                // Then
                Assert.True(sink.Http.Count == 1 && whole == sink.Http[0] && sink.Diagnostics.Count == 0, $"{(side == 0 ? "client" : "server")} split at {at}");
            }
        }
    }

    [Fact]
    public void EveryByteOnItsOwnGivesTheSameTransactionsForManyFrameKinds()
    {
        // Given: header blocks over CONTINUATIONs, padding, priority, a push promise, a reset, a GOAWAY with debug data
        var segments = RichSegments();
        var whole = Feed(segments, _ => int.MaxValue);

        // When
        var split = Feed(segments, _ => 1);

        // Then
        Assert.Equal(
            [(3, "/b", (int?)null, (uint?)Cancel), (1, "/a", 200, null), (5, "/c", 404, null), (7, "/d", null, RefusedStream)],
            whole.Http.Select(t => (t.StreamId, t.Path, t.Status, t.ResetCode)));
        Assert.Equal(whole.Http, split.Http);
        Assert.Empty(whole.Diagnostics);
        Assert.Empty(split.Diagnostics);
    }

    [Fact]
    public void HeadersSplitOverSegmentsKeepTheirFirstSegmentsTimeAndFrame()
    {
        // Given
        var c = Conversation();
        var request = Headers(1, RequestBlock, endStream: true);
        var response = Headers(1, Block((":status", "200"), ("grpc-status", "0")), endStream: true);

        // When: the request HEADERS in segments 1 and 2, the response HEADERS in segments 3 and 4
        c.Client([.. Preface, .. Settings(), .. request[..20]]);
        c.Client(request[20..]);
        c.Server(response[..12]);
        c.Server(response[12..]);

        // Then: the request at its first byte (1 ms, frame 1), the response's first byte at 3 ms (frame 3)
        var t = Assert.Single(c.Sink.Http);
        Assert.Equal((1 * Ms, 1L, (long?)(3 * Ms), (long?)3, (long?)(4 * Ms)), (t.RequestTimeNs, t.RequestFrame, t.FirstByteTimeNs, t.ResponseFrame, t.LastByteTimeNs));
    }

    [Fact]
    public void IncompleteFrameHeaderAndHeadersFrameAreLeftUnconsumed()
    {
        // Given
        var c = Conversation();
        var headers = Headers(1, RequestBlock);

        // When / Then: preface part, preface and 5 bytes of a frame header, most of a HEADERS frame
        c.Client(Preface[..10]);
        Assert.Equal(10, c.Buffered(fromClient: true));
        c.Client([.. Preface[10..], .. headers[..5]]);
        Assert.Equal(5, c.Buffered(fromClient: true));
        c.Client(headers[5..^1]);
        Assert.Equal(headers.Length - 1, c.Buffered(fromClient: true));
        c.Client(headers[^1..]);
        Assert.Equal(0, c.Buffered(fromClient: true));

        // And a DATA frame's payload is consumed as it comes
        c.Client(Data(1, GrpcMessage(100))[..30]);
        Assert.Equal(0, c.Buffered(fromClient: true));
        Assert.Empty(c.Sink.Diagnostics);
    }

    // ---- Header blocks ----

    [Fact]
    public void HeaderBlockSplitOverHeadersAndTwoContinuationsIsDecodedWhole()
    {
        // Given: the request block in three fragments, three segments; the response block in two frames, two segments
        var c = Conversation();
        var request = Block(GrpcRequest("/shop.Orders/Get"));
        var response = Block((":status", "200"), ("content-type", "application/grpc"), ("grpc-status", "0"));

        // When
        c.Client([.. Preface, .. Settings(), .. Headers(1, request[..10], endHeaders: false)]);
        c.Client(Continuation(1, request[10..50], endHeaders: false));
        c.Client(Continuation(1, request[50..]), Data(1, GrpcMessage(2), endStream: true));
        c.Server(Headers(1, response[..7], endStream: true, endHeaders: false));
        var beforeEndHeaders = c.Sink.Http.Count;
        c.Server(Continuation(1, response[7..]));

        // Then: END_STREAM of the HEADERS frame ends the stream with its last CONTINUATION; times of the first frames
        Assert.Equal(0, beforeEndHeaders);
        var t = Assert.Single(c.Sink.Http);
        Assert.Equal(("POST", "orders.shop:50051", "/shop.Orders/Get", true, (int?)0), (t.Method, t.Host, t.Path, t.Grpc, t.GrpcStatus));
        Assert.Equal((1 * Ms, 1L), (t.RequestTimeNs, t.RequestFrame));
        Assert.Equal(((int?)200, (long?)(4 * Ms), (long?)(5 * Ms), 9L + 7 + 9 + (response.Length - 7), (long?)4), Response(t));
        Assert.Empty(c.Sink.Diagnostics);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void PaddedAndPriorityHeadersAreReadWithoutThoseFields(bool padded, bool priority)
    {
        // Given
        var c = Conversation();
        int? padding = padded ? 7 : null;
        var response = Block((":status", "200"), ("grpc-status", "0"));

        // When
        c.Client(Preface, Settings(), Headers(1, RequestBlock, padding: padding, priority: priority), Data(1, GrpcMessage(1), endStream: true));
        c.Server(Headers(1, response, endStream: true, padding: padding, priority: priority));

        // Then: the padding and priority bytes count in the frame's size
        var t = Assert.Single(c.Sink.Http);
        var extra = (padded ? 8 : 0) + (priority ? 5 : 0);
        Assert.Equal(("/shop.Orders/Get", "orders.shop:50051", (int?)200, (int?)0, 9L + response.Length + extra), (t.Path, t.Host, t.Status, t.GrpcStatus, t.ResponseBytes));
        Assert.Empty(c.Sink.Diagnostics);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void PushPromiseBlockKeepsTheServersTableInStep(bool padded, bool continued)
    {
        // Given: GET /index.html (stream 1) and GET /app.js (stream 3)
        var c = Conversation();
        c.Client(
            Preface,
            Settings(),
            Headers(1, Block((":method", "GET"), (":scheme", "http"), (":authority", "shop"), (":path", "/index.html")), endStream: true),
            Headers(3, Block((":method", "GET"), (":scheme", "http"), (":authority", "shop"), (":path", "/app.js")), endStream: true));

        // When: stream 1's headers add :status 203 (62); the promise of stream 2 adds two entries, so :status 203 is 64;
        // stream 3's answer is index 64 alone
        byte[] promise =
        [
            .. HpackTestEncoder.Indexed(2), .. HpackTestEncoder.Indexed(6),
            .. HpackTestEncoder.Literal(":path", "/style.css", indexing: true), .. HpackTestEncoder.Literal(":authority", "shop", indexing: true, huffman: true),
        ];
        var status = HpackTestEncoder.Literal(":status", "203", indexing: true);
        c.Server(Settings(), Headers(1, status));
        c.Server(continued
            ? [.. PushPromise(1, 2, promise[..5], endHeaders: false, padding: padded ? 3 : null), .. Continuation(1, promise[5..])]
            : PushPromise(1, 2, promise, padding: padded ? 3 : null));
        c.Server(Data(1, GrpcMessage(8), endStream: true));
        c.Server(Headers(2, HpackTestEncoder.Indexed(64)), Data(2, GrpcMessage(4), endStream: true));
        c.Server(Headers(3, HpackTestEncoder.Indexed(64), endStream: true));
        c.End();

        // Then: the pushed stream is no transaction of its own; the promise does not count in stream 1's bytes
        Assert.Equal([(1, "/index.html", (int?)203), (3, "/app.js", 203)], c.Sink.Http.Select(t => (t.StreamId, t.Path, t.Status)));
        Assert.Equal(9L + status.Length + 9 + 13, c.Sink.Http[0].ResponseBytes);
        Assert.Empty(c.Sink.Diagnostics);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LaterRequestsReferToEntriesEarlierOnesAdded(bool huffman)
    {
        // Given: the first request adds content-type (62), :path (63) and :authority (64)
        var c = Conversation();
        byte[] first =
        [
            .. HpackTestEncoder.Indexed(3), .. HpackTestEncoder.Indexed(6),
            .. HpackTestEncoder.Literal(":authority", "orders.shop:50051", indexing: true, huffman: huffman),
            .. HpackTestEncoder.Literal(4, "/shop.Orders/Get", indexing: true, huffman: huffman),
            .. HpackTestEncoder.Literal("content-type", "application/grpc", indexing: true, huffman: huffman),
        ];

        // The second names :path after entry 63 with a new value it adds (62), the rest by index: content-type is now 63
        byte[] second =
        [
            .. HpackTestEncoder.Indexed(3), .. HpackTestEncoder.Indexed(6), .. HpackTestEncoder.Indexed(64),
            .. HpackTestEncoder.Literal(63, "/shop.Orders/List", indexing: true, huffman: huffman), .. HpackTestEncoder.Indexed(63),
        ];

        // The third, all indexed, after a size update that keeps every entry
        byte[] third =
        [
            .. HpackTestEncoder.Integer(4096, 5, 0x20),
            .. HpackTestEncoder.Indexed(3), .. HpackTestEncoder.Indexed(6), .. HpackTestEncoder.Indexed(65), .. HpackTestEncoder.Indexed(64),
            .. HpackTestEncoder.Indexed(63),
        ];

        // When
        c.Client(Preface, Settings(), Headers(1, first));
        c.Client(Headers(3, second));
        c.Client(Headers(5, third));
        c.End();

        // Then
        Assert.Equal(
            [(1, "POST", "orders.shop:50051", "/shop.Orders/Get", true), (3, "POST", "orders.shop:50051", "/shop.Orders/List", true), (5, "POST", "orders.shop:50051", "/shop.Orders/Get", true)],
            c.Sink.Http.Select(t => (t.StreamId, t.Method, t.Host, t.Path, t.Grpc)));
        Assert.Empty(c.Sink.Diagnostics);
    }

    // ---- Resets ----

    [Fact]
    public void ClientCancellingBeforeAnyResponseIsAnUnansweredResetStream()
    {
        // Given
        var c = Conversation();
        c.Client(UnaryClient);

        // When
        c.Client(RstStream(1, Cancel));

        // Then: reported at once
        var t = Assert.Single(c.Sink.Http);
        Assert.Equal(((uint?)Cancel, true, (long?)(2 * Ms), (int?)null, (long?)null, (long?)null, 0L), Reset(t));
        Assert.Null(t.ResponseFrame);
    }

    [Fact]
    public void ClientCancellingAfterTheResponseHeadersKeepsTheStatus()
    {
        // Given
        var c = Conversation();
        c.Client(UnaryClient);
        c.Server(UnaryServerHead);

        // When
        c.Client(RstStream(1, Cancel));

        // Then
        var t = Assert.Single(c.Sink.Http);
        Assert.Equal(((uint?)Cancel, true, (long?)(3 * Ms), (int?)200, (long?)(2 * Ms), (long?)(2 * Ms), 9L + ResponseBlock.Length), Reset(t));
    }

    [Fact]
    public void ServerRefusingAStreamIsAResetByTheServer()
    {
        // Given
        var c = Conversation();
        c.Client(UnaryClient);

        // When
        c.Server(Settings(), RstStream(1, RefusedStream));

        // Then
        var t = Assert.Single(c.Sink.Http);
        Assert.Equal(((uint?)RefusedStream, false, (long?)(2 * Ms), (int?)null, (long?)null, (long?)null, 0L), Reset(t));
    }

    [Fact]
    public void ResetOfAStreamNotOpenChangesNothing()
    {
        // Given
        var c = Conversation();
        c.Client(UnaryClient);

        // When
        c.Client(RstStream(9, Cancel));
        c.Server(RstStream(11, ProtocolError));
        var afterResets = c.Sink.Http.Count;
        c.Server(UnaryServerHead, UnaryServerData, UnaryServerTrailers);

        // Then
        Assert.Equal(0, afterResets);
        Assert.Equal(((uint?)null, (int?)200), (Assert.Single(c.Sink.Http).ResetCode, c.Sink.Http[0].Status));
    }

    [Fact]
    public void GoAwayRefusesTheStreamsAboveItsLastStreamIdAtOnceAndTheOthersGoOn()
    {
        // Given: streams 1 and 3 open, 1 answered
        var c = Conversation();
        c.Client(Open((1, "/shop.Orders/Get"), (3, "/shop.Orders/List")));
        c.Server(Settings(), Headers(1, ResponseBlock));

        // When: GOAWAY, last stream 1, with debug data; then stream 1 ends
        c.Server(GoAway(1, NoError, "graceful shutdown"u8.ToArray()));
        var afterGoAway = c.Sink.Http.ToList();
        c.Server(Data(1, GrpcMessage(4)), Headers(1, TrailersBlock, endStream: true));

        // Then
        var refused = Assert.Single(afterGoAway);
        Assert.Equal((3, "/shop.Orders/List"), (refused.StreamId, refused.Path));
        Assert.Equal(((uint?)RefusedStream, false, (long?)(3 * Ms), (int?)null, (long?)null, (long?)null, 0L), Reset(refused));
        Assert.Equal(2, c.Sink.Http.Count);
        var first = c.Sink.Http[1];
        Assert.Equal((1, (uint?)null, (long?)null, (int?)200, (int?)0, (long?)(4 * Ms)), (first.StreamId, first.ResetCode, first.ResetTimeNs, first.Status, first.GrpcStatus, first.LastByteTimeNs));
        Assert.Empty(c.Sink.Diagnostics);
    }

    [Fact]
    public void GoAwayFromTheClientRefusesNothing()
    {
        // Given
        var c = Conversation();
        c.Client(Open((1, "/a"), (3, "/b")));

        // When
        c.Client(GoAway(0, NoError));
        var afterGoAway = c.Sink.Http.Count;
        c.End();

        // Then
        Assert.Equal(0, afterGoAway);
        Assert.Equal([(1, (uint?)null), (3, null)], c.Sink.Http.Select(t => (t.StreamId, t.ResetCode)));
    }

    // ---- End and gaps ----

    [Fact]
    public void CaptureEndReportsOpenStreamsAnsweredOrNot()
    {
        // Given: stream 1 unanswered; stream 3 has its headers and some DATA, no END_STREAM
        var c = Conversation();
        c.Client(Open((1, "/shop.Orders/Get"), (3, "/shop.Orders/List")));
        c.Server(Headers(3, ResponseBlock));
        c.Server(Data(3, GrpcMessage(10)));

        // When
        var beforeEnd = c.Sink.Http.Count;
        c.End();
        c.End();

        // Then: in stream order, once
        Assert.Equal(0, beforeEnd);
        Assert.Equal([1, 3], c.Sink.Http.Select(t => t.StreamId));
        Assert.Equal(((int?)null, (long?)null, (long?)null, 0L, (long?)null), Response(c.Sink.Http[0]));
        Assert.Equal(((int?)200, (long?)(2 * Ms), (long?)(3 * Ms), 9L + ResponseBlock.Length + 9 + 15, (long?)2), Response(c.Sink.Http[1]));
    }

    [Fact]
    public void GapInsideAResponseDataPayloadOfKnownSizeIsSteppedOver()
    {
        // Given: response headers, then a DATA frame of 35 bytes whose middle 10 are lost
        var c = Conversation();
        c.Client(UnaryClient);
        c.Server(UnaryServerHead);
        c.Server(UnaryServerData[..(9 + 15)]);

        // When
        c.Gap(fromClient: false, missingBytes: 10);
        c.Server(UnaryServerData[(9 + 25)..]);
        c.Server(UnaryServerTrailers);

        // Then
        var t = Assert.Single(c.Sink.Http);
        Assert.Equal(((int?)200, (long?)(2 * Ms), (long?)(5 * Ms), UnaryResponseBytes, (long?)2), Response(t));
        Assert.Equal((1, (int?)0), (t.Gaps, t.GrpcStatus));
        Assert.Empty(c.Sink.Diagnostics);
    }

    [Fact]
    public void GapTakingTheRestOfAnEndStreamDataPayloadEndsTheStream()
    {
        // Given
        var c = Conversation();
        c.Client(UnaryClient);
        c.Server(UnaryServerHead);
        var last = Data(1, GrpcMessage(30), endStream: true);
        c.Server(last[..20]);

        // When
        c.Gap(fromClient: false, missingBytes: last.Length - 20);

        // Then
        var t = Assert.Single(c.Sink.Http);
        Assert.Equal(((int?)200, (long?)(2 * Ms), (long?)(3 * Ms), 9L + ResponseBlock.Length + last.Length, (long?)2), Response(t));
        Assert.Equal(1, t.Gaps);
    }

    [Fact]
    public void GapInsideARequestDataPayloadCountsOnThatStream()
    {
        // Given
        var c = Conversation();
        var body = Data(1, GrpcMessage(100), endStream: true);
        c.Client(Open((1, "/shop.Upload/Put"), (3, "/shop.Orders/Get")), body[..50]);

        // When
        c.Gap(fromClient: true, missingBytes: 40);
        c.Client(body[90..]);
        c.Server(Headers(1, Block((":status", "200"), ("grpc-status", "0")), endStream: true));
        c.Server(Headers(3, Block((":status", "200"), ("grpc-status", "0")), endStream: true));

        // Then
        Assert.Equal([(1, 1, (int?)200), (3, 0, 200)], c.Sink.Http.Select(t => (t.StreamId, t.Gaps, t.Status)));
    }

    public static TheoryData<string, bool, int, long> LosingGaps => new()
    {
        // scenario, from client, bytes of the next frame seen before the hole, missing bytes
        { "inside a DATA payload, size unknown", false, 20, -1 },
        { "from inside a DATA payload past its end", false, 20, 100 },
        { "in the middle of a frame header", false, 5, 10 },
        { "between frames", false, 0, 10 },
        { "in the client's direction, between frames", true, 0, 10 },
    };

    [Fact]
    public void GapOfKnownSizeInsideASettingsPayloadKeepsTheFraming()
    {
        // Given: streams 1 and 3 open, then 12 bytes of a SETTINGS frame (header and half its payload)
        var c = Conversation();
        c.Client(Open((1, "/shop.Orders/Get"), (3, "/shop.Orders/List")));
        c.Server(Headers(1, ResponseBlock));
        c.Server(Settings((1, 1), (2, 0))[..12]);

        // When: the SETTINGS frame's last 9 bytes are missing, then both streams end
        c.Gap(fromClient: false, missingBytes: 9);
        c.Server(Headers(1, TrailersBlock, endStream: true), Headers(3, Block((":status", "200"), ("grpc-status", "0")), endStream: true));

        // Then
        Assert.Equal([(1, (int?)200, 0), (3, 200, 0)], c.Sink.Http.Select(t => (t.StreamId, t.Status, t.Gaps)));
        Assert.Empty(c.Sink.Diagnostics);
    }

    [Fact]
    public void StreamsTheClientOpensAfterTheServersGoAwayAreRefused()
    {
        // Given: stream 1 open, the server's GOAWAY with last stream 1
        var c = Conversation();
        c.Client(Open((1, "/shop.Orders/Get")));
        c.Server(GoAway(1, NoError));

        // When: the client, not yet aware, opens stream 3
        c.Client(Headers(3, RequestBlock));

        // Then: stream 3 is refused at once
        var refused = Assert.Single(c.Sink.Http);
        Assert.Equal((3, (uint?)7, false, (int?)null), (refused.StreamId, refused.ResetCode, refused.ResetByClient, refused.Status));
    }

    [Theory]
    [MemberData(nameof(LosingGaps))]
    public void GapAnywhereElseLosesTheFramingUntilASegmentStartsWithFrames(string scenario, bool fromClient, int seen, long missing)
    {
        // Given: streams 1 (answered) and 3 (not) open
        var c = Conversation();
        c.Client(Open((1, "/shop.Orders/Get"), (3, "/shop.Orders/List")));
        c.Server(Headers(1, ResponseBlock));
        var next = Data(1, GrpcMessage(30));
        if (seen > 0)
        {
            c.Send(fromClient, next[..seen]);
        }

        // When: the hole, then a segment of the same direction that does not start with a frame (skipped), then frames
        c.Gap(fromClient, missing);
        c.Send(fromClient, "not a frame at all, the rest of one"u8.ToArray());
        c.Server(Data(1, GrpcMessage(30)), Headers(1, TrailersBlock, endStream: true), Headers(3, Block((":status", "200"), ("grpc-status", "0")), endStream: true));
        c.Client(Headers(5, Block(GrpcRequest("/shop.Orders/New"))), Frame(0x6, 0, 0, new byte[8]));
        c.End();

        // Then: the streams open at the hole count it and go on; the one opened after it is read as well
        Assert.True(c.Sink.Http.Select(t => (t.StreamId, t.Status, t.Gaps)).SequenceEqual([(1, (int?)200, 1), (3, 200, 1), (5, null, 0)]), scenario);
        Assert.Equal("/shop.Orders/New", c.Sink.Http[2].Path);
        Assert.Empty(c.Sink.Diagnostics);
    }

    // ---- Malformed ----

    public static TheoryData<string, bool, byte[], WireError, string, int> MalformedFrames()
    {
        var half = Block(GrpcRequest("/x"));
        return new()
        {
            // scenario, from client, bytes, reason, message, offset of the error in the bytes
            { "SETTINGS of 5 bytes", false, Frame(Http2FrameHeader.Settings, 0, 0, new byte[5]), WireError.Http2BadFrame, "SETTINGS length is not a multiple of 6", 0 },
            { "PING on stream 1", true, Frame(Http2FrameHeader.Ping, 0, 1, new byte[8]), WireError.Http2BadFrame, "SETTINGS, PING or GOAWAY on a stream", 5 },
            { "RST_STREAM on stream 0", false, Frame(Http2FrameHeader.RstStream, 0, 0, new byte[4]), WireError.Http2BadFrame, "RST_STREAM is not 4 bytes on a stream", 0 },
            { "DATA on stream 0", false, Frame(Http2FrameHeader.Data, 0, 0, new byte[4]), WireError.Http2BadFrame, "DATA, HEADERS, CONTINUATION or PUSH_PROMISE on stream 0", 5 },
            { "WINDOW_UPDATE of 3 bytes", true, Frame(Http2FrameHeader.WindowUpdate, 0, 1, new byte[3]), WireError.Http2BadFrame, "WINDOW_UPDATE length is not 4", 0 },
            { "CONTINUATION without HEADERS", false, Continuation(1, Block((":status", "200"))), WireError.Http2BadFrame, "CONTINUATION without a header block to continue", 0 },
            {
                "CONTINUATION of another stream", true, [.. Headers(5, half[..4], endHeaders: false), .. Continuation(3, half[4..])],
                WireError.Http2BadFrame, "CONTINUATION without a header block to continue", 9 + 4
            },
            {
                "DATA in the middle of a header block", true, [.. Headers(5, half[..4], endHeaders: false), .. Data(5, [1, 2])],
                WireError.Http2BadFrame, "a header block's CONTINUATION expected", 9 + 4 + 3
            },
            {
                "PING in the middle of the server's header block", false, [.. Headers(1, ResponseBlock[..3], endHeaders: false), .. Ping()],
                WireError.Http2BadFrame, "a header block's CONTINUATION expected", 9 + 3 + 3
            },
            { "padding, priority or promised stream fields longer than the frame", false, Frame(Http2FrameHeader.Headers, 0x0C, 1, [200, 0x88]), WireError.Http2BadFrame, "padding, priority or promised stream fields longer than the frame", 9 },
            { "priority fields cut short", true, Frame(Http2FrameHeader.Headers, 0x24, 5, [0, 0, 0]), WireError.Http2BadFrame, "padding, priority or promised stream fields longer than the frame", 9 },
            {
                "HEADERS larger than the header limit, its frame header alone", false, Frame(Http2FrameHeader.Headers, 0x04, 1, [], length: 64 * 1024 - 8),
                WireError.Http2BadHeaderBlock, "header frame larger than the header limit", 0
            },
            {
                "CONTINUATION larger than the header limit", true, [.. Headers(5, half[..4], endHeaders: false), .. Frame(Http2FrameHeader.Continuation, 0x04, 5, [], length: 64 * 1024)],
                WireError.Http2BadHeaderBlock, "header frame larger than the header limit", 9 + 4
            },
        };
    }

    [Theory]
    [MemberData(nameof(MalformedFrames))]
    public void MalformedFrameIsADiagnosticThatReportsTheStreamsAndStopsReading(string scenario, bool fromClient, byte[] bytes, WireError reason, string message, int offset)
    {
        // Given: stream 1 open; the client has sent the preface, SETTINGS and HEADERS, the server SETTINGS
        var c = Conversation();
        var client = Open((1, "/shop.Orders/Get"));
        var server = Settings((3, 100));
        c.Client(client);
        c.Server(server);

        // When
        c.Send(fromClient, bytes);
        var afterBadFrame = c.Sink.Http.Count;
        c.Server(Headers(1, Block((":status", "200")), endStream: true));
        c.Client(Headers(3, RequestBlock), Frame(Http2FrameHeader.Ping, 0, 1, new byte[8]));
        c.End();

        // Then: one diagnostic, where the bad bytes are; stream 1 reported, unanswered, at once; nothing read after
        var d = Assert.Single(c.Sink.Diagnostics);
        Assert.Equal((reason, message, 3L, (fromClient ? client.Length : server.Length) + (long)offset), (d.Reason, d.Message, d.Frame, d.Offset));
        Assert.Equal(StreamConversation.ClientEndpoint + " > " + StreamConversation.ServerEndpoint, d.Flow);
        Assert.True(afterBadFrame == 1, scenario);
        Assert.Equal((1, (int?)null), (Assert.Single(c.Sink.Http).StreamId, c.Sink.Http[0].Status));
    }

    [Fact]
    public void HeadersFrameAtTheHeaderLimitIsWaitedFor()
    {
        // Given: a limit of 100 bytes, frame header included
        var c = Conversation(options: ProtocolOptions.Default with { MaxHttpHeaderBytes = 100 });
        var block = Block((":method", "GET"), (":path", "/a"));
        byte[] atLimit = [.. block, .. HpackTestEncoder.Literal("x", new string('p', 91 - block.Length - 4))];
        Assert.Equal(91, atLimit.Length);
        var frame = Headers(1, atLimit);

        // When
        c.Client([.. Preface, .. frame[..9]]);
        var waiting = (c.Buffered(fromClient: true), c.Sink.Diagnostics.Count);
        c.Client(frame[9..]);
        c.End();

        // Then
        Assert.Equal((9, 0), waiting);
        Assert.Equal("/a", Assert.Single(c.Sink.Http).Path);
        Assert.Empty(c.Sink.Diagnostics);
    }

    [Fact]
    public void HeaderBlockGrowingPastTheLimitOverContinuationsIsRefused()
    {
        // Given: a limit of 100 bytes; every frame below it, the block of 60 + 60 above it
        var c = Conversation(options: ProtocolOptions.Default with { MaxHttpHeaderBytes = 100 });
        c.Client(Preface, Settings(), Headers(1, Block((":method", "GET"), (":path", "/a"))));

        // When
        c.Client(Headers(3, new byte[60], endHeaders: false));
        c.Client(Continuation(3, new byte[60]));

        // Then
        var d = Assert.Single(c.Sink.Diagnostics);
        Assert.Equal((WireError.Http2BadHeaderBlock, "header block larger than the header limit"), (d.Reason, d.Message));
        Assert.Equal([1], c.Sink.Http.Select(t => t.StreamId));
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\n\r\n")] // longer than the preface
    [InlineData("PRI * HTTP/1.1\r\n")] // shorter, not its start
    [InlineData("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\r")] // one byte wrong
    public void ClientThatDoesNotStartWithThePrefaceIsADiagnostic(string first)
    {
        // Given
        var c = Conversation();

        // When
        c.Client(Encoding.ASCII.GetBytes(first));
        c.Client(Preface, Settings(), Headers(1, RequestBlock));
        c.End();

        // Then: nothing read after
        var d = Assert.Single(c.Sink.Diagnostics);
        Assert.Equal((WireError.Http2BadFrame, "client did not start with the HTTP/2 connection preface", 0L, 1L), (d.Reason, d.Message, d.Offset, d.Frame));
        Assert.Empty(c.Sink.Http);
    }

    [Fact]
    public void UndecodableRequestBlockIsLeftOutAndTheClientsLaterBlocksAreReadAgain()
    {
        // Given
        var c = Conversation();

        // When: stream 1's block holds an index 0; stream 3's (literals) is fine, read with the client's table forgotten
        c.Client(Preface, Settings(), Headers(1, [.. HpackTestEncoder.Indexed(3), 0x80]));
        c.Client(Headers(3, RequestBlock, endStream: true));
        c.Server(Headers(3, Block((":status", "404")), endStream: true));
        c.Server(Headers(1, Block((":status", "200"), ("grpc-status", "0")), endStream: true));

        // Then: one diagnostic; stream 1 goes on with method and path "?", stream 3 is read whole, the server's fields too
        var d = Assert.Single(c.Sink.Diagnostics);
        Assert.Equal((WireError.Http2BadHeaderBlock, "indexed field with index 0", 1L), (d.Reason, d.Message, d.Frame));
        Assert.Equal(
            [(3, "POST", (string?)"orders.shop:50051", "/shop.Orders/Get", true, (int?)404, false), (1, "?", null, "?", true, 200, true)],
            c.Sink.Http.Select(t => (t.StreamId, t.Method, t.Host, t.Path, t.Grpc, t.Status, t.HeadersUnreadable)));
    }

    [Fact]
    public void UndecodableResponseBlockAnswersItsStreamWithoutAStatus()
    {
        // Given
        var c = Conversation();
        c.Client(Open((1, "/shop.Orders/Get"), (3, "/shop.Orders/List")));

        // When: stream 1's response names entry 62 of an empty table; stream 3's (literals) is read with the table forgotten
        byte[] bad = [.. HpackTestEncoder.Indexed(8), .. HpackTestEncoder.Indexed(62)];
        c.Server(Headers(1, bad));
        c.Server(Headers(3, Block((":status", "200"))));
        c.Server(Data(3, GrpcMessage(1), endStream: true));
        c.Server(Headers(1, Block(("grpc-status", "0")), endStream: true));

        // Then: stream 1 answered (first byte, bytes, last byte) but with no status; stream 3 and stream 1's trailers read
        var d = Assert.Single(c.Sink.Diagnostics);
        Assert.Equal((WireError.Http2BadHeaderBlock, "index beyond the static and dynamic tables", 2L), (d.Reason, d.Message, d.Frame));
        Assert.Equal([3, 1], c.Sink.Http.Select(t => t.StreamId));
        Assert.Equal(((int?)200, (long?)(3 * Ms), (long?)(4 * Ms), 9L + 13 + 9 + 6, (long?)3), Response(c.Sink.Http[0]));
        Assert.Equal(((int?)null, (long?)(2 * Ms), (long?)(5 * Ms), 9L + 2 + 9L + TrailersBlock.Length, (long?)2), Response(c.Sink.Http[1]));
        Assert.Equal(((int?)0, "/shop.Orders/Get", true), (c.Sink.Http[1].GrpcStatus, c.Sink.Http[1].Path, c.Sink.Http[1].HeadersUnreadable));
    }

    [Fact]
    public void UndecodableHeaderBlockIsReportedAtTheBadByte()
    {
        // Given
        var c = Conversation();
        byte[] before = [.. Preface, .. Settings()];

        // When: the block's second byte is an index 0
        c.Client(before, Headers(1, [.. HpackTestEncoder.Indexed(3), 0x80]));

        // Then
        var d = Assert.Single(c.Sink.Diagnostics);
        Assert.Equal(("80", before.Length + 9L + 1), (d.Snippet, d.Offset));
    }

    // ---- Roles ----

    [Fact]
    public void SwappedRolesStillNameTheRealClientAndServer()
    {
        // Given: the engine took the server for the client
        var c = Conversation(swapped: true);

        // When
        c.Client(UnaryClient);
        c.Server(UnaryServerHead, UnaryServerData, UnaryServerTrailers);

        // Then
        var t = Assert.Single(c.Sink.Http);
        Assert.Equal((StreamConversation.ClientEndpoint, StreamConversation.ServerEndpoint), (t.Client, t.Server));
        Assert.Equal(("/shop.Orders/Get", (int?)200, (int?)0, UnaryResponseBytes), (t.Path, t.Status, t.GrpcStatus, t.ResponseBytes));
        Assert.Empty(c.Sink.Diagnostics);
    }

    [Fact]
    public void ServerSpeakingFirstNeedsNoPreface()
    {
        // Given
        var c = Conversation();

        // When: the server's SETTINGS are seen before the client's preface
        c.Server(Settings((3, 100)));
        c.Client(UnaryClient);
        c.Server(Headers(1, Block((":status", "200"), ("grpc-status", "0")), endStream: true));

        // Then
        Assert.Equal((200, 0), (Assert.Single(c.Sink.Http).Status, c.Sink.Http[0].GrpcStatus));
        Assert.Empty(c.Sink.Diagnostics);
    }

    // ---- Registry ----

    public static TheoryData<string, ushort, bool, bool, string, string?> RegistryCases => new()
    {
        // first payload, server port, from client, mid-stream → protocol (null: none)
        { "the preface", 50051, true, false, Hex.Of(Preface), "http2" },
        { "the preface and SETTINGS", 50051, true, false, Hex.Of([.. Preface, .. Settings()]), "http2" },
        { "the first three bytes of the preface", 50051, true, false, "505249", "http2" },
        { "all but the last byte of the preface", 50051, true, false, Hex.Of(Preface[..^1]), "http2" },
        { "the preface on port 8080", 8080, true, false, Hex.Of(Preface), "http2" },
        { "the preface from the guessed server, mid-stream", 50051, false, true, Hex.Of(Preface), "http2" },
        { "the first two bytes of the preface", 50051, true, false, "5052", null },
        { "the preface from the server of a connection seen from its start", 50051, false, false, Hex.Of(Preface), null },
        { "the preface with its last byte wrong", 50051, true, false, Hex.Of([.. Preface[..^1], (byte)'\r']), null },
        { "a GET request", 50051, true, false, Hex.Of("GET / HTTP/1.1\r\nHost: a\r\n\r\n"u8), "http" },
        { "a GET request on 8080", 8080, true, false, Hex.Of("GET / HTTP/1.1\r\n\r\n"u8), "http" },
    };

    [Theory]
    [MemberData(nameof(RegistryCases))]
    public void RegistryChoosesHttp2ByThePreface(string scenario, ushort serverPort, bool fromClient, bool midStream, string firstPayloadHex, string? protocol)
    {
        // Given
        var sink = new RecordingSink();
        var client = new WireEndpoint(NetAddress.Parse("198.18.1.20"), 45000);
        var server = new WireEndpoint(NetAddress.Parse("198.18.2.20"), serverPort);
        var context = new TcpStreamContext(client, server, midStream, "f", sink);

        // When
        var dissector = new ProtocolRegistry(sink).CreateTcp(context, Hex.Parse(firstPayloadHex), fromClient);

        // Then
        Assert.True(protocol == dissector?.Protocol, $"{scenario}: expected {protocol ?? "none"}, got {dissector?.Protocol ?? "none"}");
        Assert.Equal(protocol == "http2", dissector is Http2StreamDissector);
    }

    [Fact]
    public void RegistrySwapsRolesWhenThePrefaceCameFromTheGuessedServer()
    {
        // Given: mid-stream, the engine took the real server (port 50051) for the client
        var sink = new RecordingSink();
        var realClient = new WireEndpoint(NetAddress.Parse("198.18.1.20"), 45000);
        var realServer = new WireEndpoint(NetAddress.Parse("198.18.2.20"), 50051);
        var context = new TcpStreamContext(realServer, realClient, midStream: true, "f", sink);
        var dissector = new ProtocolRegistry(sink).CreateTcp(context, UnaryClient, fromClient: false)!;

        // When: the engine offers the payload it detected on, then the rest
        var used = dissector.OnData(UnaryClient, fromClient: false, 1 * Ms, 1);
        dissector.OnData([.. UnaryServerHead, .. UnaryServerData, .. UnaryServerTrailers], fromClient: true, 2 * Ms, 2);

        // Then
        var t = Assert.Single(sink.Http);
        Assert.Equal((UnaryClient.Length, realClient, realServer, (int?)200, "/shop.Orders/Get"), (used, t.Client, t.Server, t.Status, t.Path));
    }

    // ---- Robustness ----

    [Fact]
    public void RandomStreamsAfterAValidPrefaceNeverThrow()
    {
        // Given
        var random = new Random(9113);
        var totals = new int[2];
        for (var i = 0; i < 2000; i++)
        {
            byte[] client = [.. Preface, .. RandomStream(random, client: true)];
            var server = RandomStream(random, client: false);

            // When / Then
            var sink = FeedRandomly(random, client, server, $"random stream {i}");
            totals[0] += sink.Http.Count;
            totals[1] += sink.Diagnostics.Count;
        }

        // And the input reaches both transactions and diagnostics
        Assert.True(totals[0] > 100 && totals[1] > 100, $"{totals[0]} transactions, {totals[1]} diagnostics");
    }

    [Fact]
    public void MutatedCallsNeverThrow()
    {
        // Given
        var random = new Random(7540);
        byte[] server = [.. UnaryServerHead, .. UnaryServerData, .. UnaryServerTrailers];
        var totals = new int[3];
        for (var i = 0; i < 2000; i++)
        {
            var side = random.Next(3);
            var client = side != 1 ? Mutate(random, UnaryClient) : UnaryClient;
            var mutatedServer = side != 0 ? Mutate(random, server) : server;

            // When / Then
            var sink = FeedRandomly(random, client, mutatedServer, $"mutation {i}");
            totals[0] += sink.Http.Count;
            totals[1] += sink.Diagnostics.Count;
            totals[2] += sink.Http.Count(t => t.Status == 200 && t.GrpcStatus == 0);
        }

        // And mutations both spoil the call and leave it whole
        Assert.True(totals[1] > 100 && totals[2] > 50, $"{totals[0]} transactions ({totals[2]} whole calls), {totals[1]} diagnostics");
    }

    // ---- Helpers ----

    private static (bool FromClient, byte[] Bytes, long TimeNs, long Frame)[] UnarySegments() =>
    [
        (true, UnaryClient, 1 * Ms, 1),
        (false, UnaryServerHead, 2 * Ms, 2),
        (false, UnaryServerData, 3 * Ms, 3),
        (false, UnaryServerTrailers, 4 * Ms, 4),
    ];

    /// <summary>Four calls over many frame kinds: 1 answered, 3 cancelled, 5 a 404, 7 refused by a GOAWAY.</summary>
    private static (bool FromClient, byte[] Bytes, long TimeNs, long Frame)[] RichSegments()
    {
        var request = Block(GrpcRequest("/a"));
        var response = Block((":status", "200"), ("content-type", "application/grpc"), ("grpc-status", "0"));
        byte[] promise = [.. HpackTestEncoder.Indexed(2), .. HpackTestEncoder.Literal(":path", "/pushed", indexing: true, huffman: true)];
        byte[] client =
        [
            .. Preface, .. Settings((3, 100)), .. WindowUpdate(0, 65535),
            .. Headers(1, request[..6], endHeaders: false, padding: 4, priority: true), .. Continuation(1, request[6..20], endHeaders: false),
            .. Continuation(1, request[20..]), .. Data(1, GrpcMessage(40), endStream: true, padding: 10),
            .. Headers(3, Block(GrpcRequest("/b")), priority: true), .. Ping(),
            .. Headers(5, HpackTestEncoder.Literals([(":method", "GET"), (":path", "/c"), (":authority", "shop")], indexing: true, huffman: true), endStream: true),
            .. Headers(7, Block((":method", "GET"), (":path", "/d")), endStream: true),
        ];
        byte[] server =
        [
            .. Settings((3, 100), (4, 1 << 20)), .. SettingsAck(), .. Ping(ack: true),
            .. Headers(1, response[..5], endHeaders: false, padding: 2), .. Continuation(1, response[5..]),
            .. PushPromise(1, 2, promise, padding: 1), .. Headers(2, HpackTestEncoder.Indexed(8)), .. Data(2, GrpcMessage(3), endStream: true),
            .. Data(1, GrpcMessage(64), padding: 3), .. WindowUpdate(1, 1000),
            .. Headers(1, TrailersBlock, endStream: true),
            .. Headers(5, HpackTestEncoder.Literal(":status", "404", indexing: true, huffman: true), endStream: true),
            .. GoAway(5, NoError, new byte[40]),
        ];
        return
        [
            (true, client, 1 * Ms, 1),
            (false, server[..100], 2 * Ms, 2),
            (true, RstStream(3, Cancel), 3 * Ms, 3),
            (false, server[100..], 4 * Ms, 4),
        ];
    }

    /// <summary>
    /// Feeds segments as the engine does (unconsumed bytes kept and offered again with the next ones), each cut into
    /// pieces of the size <paramref name="pieceSize"/> gives for it (at most <paramref name="pieces"/> pieces: the last
    /// takes the rest), every piece with its segment's time and frame; then the end.
    /// </summary>
    private static RecordingSink Feed((bool FromClient, byte[] Bytes, long TimeNs, long Frame)[] segments, Func<int, int> pieceSize, int pieces = int.MaxValue)
    {
        var feeder = new Feeder();
        for (var s = 0; s < segments.Length; s++)
        {
            var (fromClient, bytes, timeNs, frame) = segments[s];
            var at = 0;
            for (var p = 1; at < bytes.Length; p++)
            {
                var size = p == pieces ? bytes.Length - at : Math.Min(pieceSize(s), bytes.Length - at);
                feeder.Feed(fromClient, bytes.AsSpan(at, size), timeNs, frame);
                at += size;
            }
        }

        feeder.End(segments[^1].TimeNs + 1);
        return feeder.Sink;
    }

    /// <summary>
    /// Both directions in random pieces, interleaved at random, now and then a hole (bytes skipped, a gap reported), then
    /// the end; only clean outcomes are allowed.
    /// </summary>
    private static RecordingSink FeedRandomly(Random random, byte[] client, byte[] server, string what)
    {
        var feeder = new Feeder();
        var positions = new int[2];
        byte[][] bytes = [client, server];
        long timeNs = 0;
        try
        {
            while (positions[0] < client.Length || positions[1] < server.Length)
            {
                var side = positions[0] >= client.Length ? 1 : positions[1] >= server.Length ? 0 : random.Next(2);
                timeNs += Ms;
                var size = Math.Min(random.Next(4) == 0 ? random.Next(1, 4) : random.Next(1, 80), bytes[side].Length - positions[side]);
                if (random.Next(60) == 0)
                {
                    feeder.Gap(side == 0, timeNs, random.Next(3) == 0 ? -1 : size);
                }
                else
                {
                    feeder.Feed(side == 0, bytes[side].AsSpan(positions[side], size), timeNs, timeNs / Ms);
                }

                positions[side] += size;
            }

            feeder.End(timeNs + 1);
        }
        catch (Exception e)
        {
            Assert.Fail($"{what} threw {e.GetType().Name}: {e.Message}\nclient: {Hex.Of(client)}\nserver: {Hex.Of(server)}\n{e.StackTrace}");
        }

        foreach (var t in feeder.Sink.Http)
        {
            Assert.True(
                t.Method is not null && t.Path is not null && t.Version == HttpTransaction.Http2 && t.StreamId > 0
                && (t.Status is not null || t.FirstByteTimeNs is not null || (t.ResponseBytes == 0 && t.LastByteTimeNs is null)),
                $"{what}: {t}\nclient: {Hex.Of(client)}\nserver: {Hex.Of(server)}");
        }

        foreach (var d in feeder.Sink.Diagnostics)
        {
            Assert.True(d.Reason != WireError.None && d.Message.Length > 0, $"{what}: {d}");
        }

        return feeder.Sink;
    }

    /// <summary>Random bytes, or random frames whose header blocks are at times well-formed.</summary>
    private static byte[] RandomStream(Random random, bool client)
    {
        if (random.Next(4) == 0)
        {
            var noise = new byte[random.Next(0, 300)];
            random.NextBytes(noise);
            return noise;
        }

        var stream = new List<byte>();
        var frames = random.Next(1, 12);
        for (var f = 0; f < frames; f++)
        {
            int[] streams = [0, 1, 1, 3, 5, random.Next()];
            var id = streams[random.Next(streams.Length)];
            var flags = (byte)(random.Next(3) == 0 ? random.Next(256) : random.Next(2) | (random.Next(2) << 2));
            switch (random.Next(12))
            {
                case 0 or 1:
                    stream.AddRange(Headers(id, client ? Block(GrpcRequest("/r/" + f)) : Block((":status", "200"), ("grpc-status", "0")), endStream: random.Next(2) == 0));
                    break;
                case 2:
                    stream.AddRange(Data(id, GrpcMessage(random.Next(0, 40)), endStream: random.Next(2) == 0));
                    break;
                case 3:
                    stream.AddRange(RstStream(id, (uint)random.Next(14)));
                    break;
                case 4:
                    stream.AddRange(GoAway(random.Next(6), NoError, new byte[random.Next(0, 8)]));
                    break;
                case 5:
                    stream.AddRange(Continuation(id, Block(("x", "y")), endHeaders: random.Next(2) == 0));
                    break;
                default:
                    var payload = new byte[random.Next(0, 30)];
                    random.NextBytes(payload);
                    stream.AddRange(Frame((byte)random.Next(12), flags, id, payload));
                    break;
            }
        }

        return [.. stream];
    }

    private static byte[] Mutate(Random random, byte[] sample)
    {
        var bytes = sample.ToList();
        var steps = random.Next(1, 4);
        for (var s = 0; s < steps; s++)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(4))
            {
                case 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    var inserted = new byte[random.Next(1, 8)];
                    random.NextBytes(inserted);
                    bytes.InsertRange(at, inserted);
                    break;
                case 2:
                    bytes.RemoveRange(at, Math.Min(random.Next(1, 8), bytes.Count - at - 1));
                    break;
                default:
                    bytes[at] = (byte)(random.Next(3) switch { 0 => 0x00, 1 => 0xFF, _ => 0x80 });
                    break;
            }
        }

        return [.. bytes];
    }

    /// <summary>One dissector fed as the engine feeds it, with explicit times and frames.</summary>
    private sealed class Feeder
    {
        private readonly List<byte>[] _buffers = [[], []];
        private readonly Http2StreamDissector _dissector;

        public Feeder() =>
            _dissector = new Http2StreamDissector(
                new TcpStreamContext(StreamConversation.ClientEndpoint, StreamConversation.ServerEndpoint, false, "f", Sink),
                ProtocolOptions.Default,
                new TextCache());

        public RecordingSink Sink { get; } = new();

        public void Feed(bool fromClient, ReadOnlySpan<byte> bytes, long timeNs, long frame)
        {
            var buffer = _buffers[fromClient ? 0 : 1];
            buffer.AddRange(bytes);
            var consumed = _dissector.OnData(buffer.ToArray(), fromClient, timeNs, frame);
            if (consumed < 0 || consumed > buffer.Count)
            {
                throw new InvalidOperationException($"consumed {consumed} of {buffer.Count}");
            }

            buffer.RemoveRange(0, consumed);
        }

        public void Gap(bool fromClient, long timeNs, long missingBytes)
        {
            _dissector.OnGap(fromClient, timeNs, missingBytes, snapCut: false);
            _buffers[fromClient ? 0 : 1].Clear();
        }

        public void End(long timeNs) => _dissector.OnEnd(timeNs);
    }
}
