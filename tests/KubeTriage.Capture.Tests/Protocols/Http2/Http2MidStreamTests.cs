using KubeTriage.Capture.Flows;
using KubeTriage.Capture.Primitives;
using KubeTriage.Capture.Protocols;
using KubeTriage.Capture.Protocols.Http2;
using KubeTriage.Capture.Tests.Protocols.Support;
using KubeTriage.Capture.Tests.Support;
using static KubeTriage.Capture.Tests.Protocols.Http2.Http2Bytes;

namespace KubeTriage.Capture.Tests.Protocols.Http2;

/// <summary>
/// HTTP/2 connections the capture joined after their preface (long-lived gRPC connections): recognised by their frames,
/// read with HPACK tables whose older entries are unknown, roles checked against the first request or response.
/// </summary>
public class Http2MidStreamTests
{
    private static readonly WireEndpoint Pod = new(NetAddress.Parse("198.18.1.20"), 40000);
    private static readonly WireEndpoint Orders = new(NetAddress.Parse("198.18.2.40"), 50051);

    [Fact]
    public void TheRegistryTakesAMidStreamConnectionThatStartsWithFramesForHttp2()
    {
        // Given: a connection without its handshake whose first segment is a HEADERS and a DATA frame
        var sink = new RecordingSink();
        var context = new TcpStreamContext(Pod, Orders, midStream: true, "f", sink);
        byte[] first = [.. Headers(5, Block(GrpcRequest("/shop.Orders/Get"))), .. Data(5, GrpcMessage(3), endStream: true)];

        // When
        var dissector = new ProtocolRegistry(sink).CreateTcp(context, first, fromClient: true);

        // Then
        Assert.Equal("http2", dissector?.Protocol);
    }

    [Theory]
    [InlineData("170303002a00000000000000000000000000", false)] // a TLS application-data record
    [InlineData("2e0000000353454c454354202a2066726f6d2074", false)] // a MySQL COM_QUERY
    [InlineData("474554202f20485454502f312e31", false)] // GET / HTTP/1.1
    [InlineData("000004080000000000", false)] // a WINDOW_UPDATE cut short: only DATA, HEADERS and CONTINUATION run on into the next segment
    [InlineData("0000100000000000050000000003616263", true)] // a DATA frame whose payload runs on into the next segment
    [InlineData("00000408000000000000000100", true)] // WINDOW_UPDATE, whole
    [InlineData("0000040800000000000000010000", false)] // then a partial next header that is not a frame's
    [InlineData("00000401ff00000001", false)] // HEADERS with undefined flags
    [InlineData("00400100040000000100", false)] // a 16 KB + 1 frame
    public void FramesAreRecognisedByTheirHeaders(string hex, bool frames)
    {
        // When
        var recognised = Http2Shape.LooksLikeFrames(Convert.FromHexString(hex));

        // Then
        Assert.Equal(frames, recognised);
    }

    [Fact]
    public void FieldsFromBeforeTheCaptureAreUnknownAndNewOnesAreRead()
    {
        // Given: the client's table holds :authority and content-type from before (dynamic 62, 63: unknown here);
        // this request names them by index and brings its :path as a new literal
        var c = new StreamConversation(context => new Http2StreamDissector(context, ProtocolOptions.Default, new TextCache(), midStream: true), midStream: true);
        byte[] request = [.. HpackTestEncoder.Indexed(3), .. HpackTestEncoder.Indexed(6), .. HpackTestEncoder.Indexed(62), .. HpackTestEncoder.Indexed(63),
            .. HpackTestEncoder.Literal(4, "/shop.Orders/Track", indexing: true)];

        // When: the call, and the server's answer: :status 200 (static), a gRPC message, trailers named by an old index
        c.Client(Headers(7, request), Data(7, GrpcMessage(0), endStream: true));
        c.Server(Headers(7, [.. HpackTestEncoder.Indexed(8)]), Data(7, GrpcMessage(4)), Headers(7, [.. HpackTestEncoder.Indexed(64)], endStream: true));

        // Then: one gRPC call (its DATA carries gRPC messages), method and path read, authority and status not
        var t = Assert.Single(c.Sink.Http);
        Assert.Equal(("POST", "/shop.Orders/Track", (string?)null, (int?)200, (int?)null, true, true),
            (t.Method, t.Path, t.Host, t.Status, t.GrpcStatus, t.Grpc, t.HeadersUnreadable));
        Assert.Empty(c.Sink.Diagnostics);
    }

    [Fact]
    public void TheSideThatSendsRequestsIsTheClientWhateverThePortsSaid()
    {
        // Given: the engine took the server for the client (its port was the higher one)
        var sink = new RecordingSink();
        var context = new TcpStreamContext(Orders, Pod, midStream: true, "f", sink);
        var dissector = new Http2StreamDissector(context, ProtocolOptions.Default, new TextCache(), midStream: true);

        // When: the real client's request arrives as the engine's "server" data, the answer as its "client" data
        byte[] requests = [.. Headers(5, Block(GrpcRequest("/shop.Orders/Get"))), .. Data(5, GrpcMessage(0), endStream: true),
            .. Headers(7, Block(GrpcRequest("/shop.Orders/Pay"))), .. Data(7, GrpcMessage(0), endStream: true)];
        Assert.Equal(requests.Length, dissector.OnData(requests, false, 1_000_000, 1));
        byte[] answers = [.. Headers(5, Block((":status", "200"), ("grpc-status", "0")), endStream: true),
            .. Headers(7, Block((":status", "200"), ("grpc-status", "14")), endStream: true)];
        Assert.Equal(answers.Length, dissector.OnData(answers, true, 2_000_000, 2));
        dissector.OnEnd(3_000_000);

        // Then: both calls, with the real client and server
        Assert.Equal([("/shop.Orders/Get", (int?)0), ("/shop.Orders/Pay", 14)], sink.Http.Select(t => (t.Path, t.GrpcStatus)));
        Assert.All(sink.Http, t => Assert.Equal((Pod, Orders), (t.Client, t.Server)));
    }

    [Fact]
    public void TheOtherSidesFirstBytesInsideAFrameAreSkippedUntilAFrameStarts()
    {
        // Given: a connection joined late; the server was in the middle of a DATA frame when the capture began
        var c = new StreamConversation(context => new Http2StreamDissector(context, ProtocolOptions.Default, new TextCache(), midStream: true), midStream: true);
        c.Client(Headers(9, Block(GrpcRequest("/shop.Orders/Get"))), Data(9, GrpcMessage(0), endStream: true));

        // When: the rest of that DATA frame, then the answer to stream 9
        c.Server(GrpcMessage(40)[10..]);
        c.Server(Headers(9, Block((":status", "200"))), Data(9, GrpcMessage(2)), Headers(9, Block(("grpc-status", "0")), endStream: true));

        // Then
        var t = Assert.Single(c.Sink.Http);
        Assert.Equal(("/shop.Orders/Get", (int?)200, (int?)0), (t.Path, t.Status, t.GrpcStatus));
        Assert.Empty(c.Sink.Diagnostics);
    }
}
