using System.Text;
using KubeTriage.Capture.Primitives;
using KubeTriage.Capture.Protocols;
using KubeTriage.Capture.Protocols.Http;
using KubeTriage.Capture.Tests.Protocols.Support;

namespace KubeTriage.Capture.Tests.Protocols.Http;

public partial class HttpStreamDissectorTests
{
    private const long Ms = 1_000_000;

    private static StreamConversation Conversation(bool midStream = false, bool swapped = false, ProtocolOptions? options = null, bool synced = true) =>
        new(context => new HttpStreamDissector(context, options ?? ProtocolOptions.Default, new TextCache(), swapped, synced), midStream, swapped);

    private static byte[] B(string text) => Encoding.ASCII.GetBytes(text);

    private static string Summary(HttpTransaction t) =>
        $"{t.Method} {t.Host} {t.Path} {(t.Status is { } s ? s.ToString(System.Globalization.CultureInfo.InvariantCulture) : "-")} {t.ResponseBytes}";

    [Fact]
    public void RequestAndContentLengthResponseMakeOneTransactionWithTimes()
    {
        // Given
        var c = Conversation();
        var response = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n";

        // When: request at 1 ms, response head at 2 ms, body at 3 ms.
        c.Client(B("GET /obj/a.bin HTTP/1.1\r\nHost: oss.example.com\r\n\r\n"));
        c.Server(B(response + "01234"));
        c.Server(B("56789"));

        // Then
        var t = Assert.Single(c.Sink.Http);
        Assert.Equal($"GET oss.example.com /obj/a.bin 200 {response.Length + 10}", Summary(t));
        Assert.Equal((1 * Ms, (long?)(2 * Ms), (long?)(3 * Ms), 1L, (long?)2), (t.RequestTimeNs, t.FirstByteTimeNs, t.LastByteTimeNs, t.RequestFrame, t.ResponseFrame));
    }

    [Fact]
    public void ChunkedResponseFedOneByteAtATimeEndsAtTheLastChunk()
    {
        // Given
        var c = Conversation();
        c.Client(B("GET / HTTP/1.1\r\nHost: a\r\n\r\n"));
        var response = B("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;x=y\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: 1\r\n\r\n");

        // When
        foreach (var b in response)
        {
            c.Server([b]);
        }

        // Then
        var t = Assert.Single(c.Sink.Http);
        Assert.Equal($"GET a / 200 {response.Length}", Summary(t));
        Assert.Equal(0, c.Buffered(fromClient: false));
        Assert.Equal(c.TimeNs, t.LastByteTimeNs);
    }

    [Fact]
    public void ResponseWithoutLengthRunsUntilTheConnectionCloses()
    {
        // Given
        var c = Conversation();
        c.Client(B("GET /old HTTP/1.0\r\n\r\n")).Server(B("HTTP/1.0 200 OK\r\n\r\nsome"), B(" more"));

        // When
        var lastByte = c.TimeNs;
        c.End();

        // Then
        var t = Assert.Single(c.Sink.Http);
        Assert.Equal((200, lastByte), (t.Status, t.LastByteTimeNs));
        Assert.Equal(B("HTTP/1.0 200 OK\r\n\r\nsome more").Length, t.ResponseBytes);
    }

    [Theory]
    [InlineData("HEAD", "HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n")] // HEAD: the length describes a body not sent
    [InlineData("GET", "HTTP/1.1 204 No Content\r\nContent-Length: 5000\r\n\r\n")]
    [InlineData("GET", "HTTP/1.1 304 Not Modified\r\nContent-Length: 5000\r\n\r\n")]
    public void ResponsesThatHaveNoBodyEndAtTheirHeaders(string method, string response)
    {
        // Given
        var c = Conversation();

        // When: the next request and response follow at once.
        c.Client(B($"{method} / HTTP/1.1\r\n\r\nGET /next HTTP/1.1\r\n\r\n"));
        c.Server(B(response + "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));

        // Then
        var status = int.Parse(response.AsSpan(9, 3), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal([(method, (int?)status), ("GET", 200)], c.Sink.Http.Select(t => (t.Method, t.Status)));
        Assert.Equal("/next", c.Sink.Http[1].Path);
    }

    [Fact]
    public void InterimResponseIsNotTheAnswer()
    {
        // Given: Expect: 100-continue.
        var c = Conversation();
        c.Client(B("POST /up HTTP/1.1\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n"));

        // When
        c.Server(B("HTTP/1.1 100 Continue\r\n\r\n"));
        c.Client(B("abc"));
        c.Server(B("HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n"));

        // Then
        var t = Assert.Single(c.Sink.Http);
        Assert.Equal((201, (long?)(4 * Ms)), (t.Status, t.FirstByteTimeNs));
    }

    [Fact]
    public void SwitchingProtocolsEndsTheDissection()
    {
        // Given
        var c = Conversation();
        c.Client(B("GET /ws HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"));

        // When
        c.Server(B("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n\u0081\u0005hello"));
        c.Client(B("\u0081\u0085garbage that is no HTTP"));
        c.End();

        // Then
        Assert.Equal(101, Assert.Single(c.Sink.Http).Status);
        Assert.Empty(c.Sink.Diagnostics);
    }

    [Fact]
    public void PipelinedRequestsMeetTheirResponsesInOrder()
    {
        // Given
        var c = Conversation();

        // When
        c.Client(B("GET /1 HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\n\r\nGET /3 HTTP/1.1\r\n\r\n"));
        c.Server(B("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na"));
        c.Server(B("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\nHTTP/1.1 500 Oops\r\nContent-Length: 2\r\n\r\nxx"));

        // Then
        Assert.Equal([("/1", (int?)200), ("/2", 404), ("/3", 500)], c.Sink.Http.Select(t => (t.Path, t.Status)));
    }

    [Fact]
    public void RequestBodyIsSkippedAndTheRequestTimeIsItsFirstSegment()
    {
        // Given: a request head split over two segments, then a chunked body.
        var c = Conversation();

        // When
        c.Client(B("POST /api HTTP/1.1\r\nHost: example-api.com\r\n"));
        c.Client(B("Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"));
        c.Server(B("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));

        // Then
        var t = Assert.Single(c.Sink.Http);
        Assert.Equal(("POST", "example-api.com", 1 * Ms, 1L), (t.Method, t.Host, t.RequestTimeNs, t.RequestFrame));
        Assert.Equal(0, c.Buffered(fromClient: true));
    }

    [Fact]
    public void RequestsWithoutAnswerAreReportedAtTheEnd()
    {
        // Given
        var c = Conversation();
        c.Client(B("GET /slow HTTP/1.1\r\n\r\n"));

        // When
        c.End();

        // Then
        var t = Assert.Single(c.Sink.Http);
        Assert.Equal(((int?)null, (long?)null, 0L), (t.Status, t.LastByteTimeNs, t.ResponseBytes));
    }

    [Fact]
    public void MidStreamConnectionWaitsForAMessageStartInEachDirection()
    {
        // Given: the capture starts inside a response body.
        var c = Conversation(midStream: true);

        // When
        c.Server(B("...tail of an earlier body..."));
        c.Client(B("GET /next HTTP/1.1\r\n\r\n"));
        c.Server(B("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));

        // Then
        Assert.Equal("/next", Assert.Single(c.Sink.Http).Path);
        Assert.Empty(c.Sink.Diagnostics);
    }

    [Fact]
    public void ResponseCutByAGapIsReportedWithWhatWasSeenAndTheNextOneStillPairs()
    {
        // Given
        var c = Conversation();
        c.Client(B("GET /big HTTP/1.1\r\n\r\nGET /small HTTP/1.1\r\n\r\n"));
        c.Server(B("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\npartial"));

        // When
        c.Gap(fromClient: false);
        c.Server(B("more of the lost body"));
        c.Server(B("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nz"));

        // Then
        Assert.Equal([("/big", (int?)200), ("/small", 200)], c.Sink.Http.Select(t => (t.Path, t.Status)));
    }

    [Fact]
    public void OversizedHeadersAreReportedAndTheConnectionResynchronises()
    {
        // Given: a 1 KB header limit.
        var c = Conversation(options: new ProtocolOptions { MaxHttpHeaderBytes = 1024 });

        // When
        c.Client(B("GET / HTTP/1.1\r\nCookie: " + new string('a', 2000) + "\r\n\r\n"));
        c.Client(B("GET /again HTTP/1.1\r\n\r\n")).Server(B("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));

        // Then
        var d = Assert.Single(c.Sink.Diagnostics);
        Assert.Equal((WireError.HttpHeadersTooLarge, "header section larger than the limit"), (d.Reason, d.Message));
        Assert.Equal("/again", Assert.Single(c.Sink.Http).Path);
    }

    [Fact]
    public void BadChunkSizeIsReported()
    {
        // Given
        var c = Conversation();
        c.Client(B("GET / HTTP/1.1\r\n\r\n"));

        // When
        c.Server(B("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nxyz\r\n"));

        // Then
        var d = Assert.Single(c.Sink.Diagnostics);
        Assert.Equal((WireError.HttpBadChunk, "chunk size is not hex digits before an extension"), (d.Reason, d.Message));
    }

    [Fact]
    public void LongPathIsCutWithAnEllipsis()
    {
        // Given
        var c = Conversation(options: new ProtocolOptions { MaxPathBytes = 16 });

        // When
        c.Client(B("GET /aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa HTTP/1.1\r\n\r\n")).End();

        // Then
        Assert.Equal("/aaaaaaaaaaaaaaa…", Assert.Single(c.Sink.Http).Path);
    }

    [Fact]
    public void PortOnlyDissectorIgnoresAProtocolThatIsNotHttp()
    {
        // Given: port 8080 carrying a binary protocol (as in the nDPI mobile capture).
        var c = Conversation(synced: false);

        // When
        c.Client(Support.Hex.Parse("00010000050000000200000085bb8e1de9e2915bcc44701fd49c1032"));
        c.Server(Support.Hex.Parse("0001000005000000"));
        c.End();

        // Then
        Assert.Empty(c.Sink.Http);
        Assert.Empty(c.Sink.Diagnostics);
    }
}
