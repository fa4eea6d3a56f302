using System.Text;
using KubeTriage.Capture.Protocols.Http;
using KubeTriage.Capture.Tests.Support;

namespace KubeTriage.Capture.Tests.Protocols.Http;

/// <summary>Bytes missing from the capture inside a request or a response: lost segments and snap-length cuts.</summary>
public partial class HttpStreamDissectorTests
{
    private const string LengthHead30 = "HTTP/1.1 200 OK\r\nContent-Length: 30\r\n\r\n";
    private const string ChunkedHead = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";

    private static (int? Status, long Bytes, long? FirstByte, long? LastByte, int Gaps) Response(HttpTransaction t) =>
        (t.Status, t.ResponseBytes, t.FirstByteTimeNs, t.LastByteTimeNs, t.Gaps);

    [Fact]
    public void ContentLengthResponseWithALostMiddleSegmentEndsAtItsLastByteWithAllItsBytes()
    {
        // Given: 30 body bytes sent as three segments, the middle one lost.
        var c = Conversation();
        c.Client(B("GET /obj HTTP/1.1\r\nHost: oss\r\n\r\n"));
        c.Server(B(LengthHead30 + "0123456789"));

        // When
        c.Gap(fromClient: false, missingBytes: 10);
        var afterGap = c.Sink.Http.Count;
        c.Server(B("abcdefghij"));

        // Then: open across the hole, closed by its real last byte (3 ms), the lost bytes counted.
        Assert.Equal(0, afterGap);
        var t = Assert.Single(c.Sink.Http);
        Assert.Equal(((int?)200, LengthHead30.Length + 30L, (long?)(2 * Ms), (long?)(3 * Ms), 1), Response(t));
    }

    [Fact]
    public void ResponseWhoseLastBytesWereLostEndsWithTheLastByteSeenAndTheNextStillPairs()
    {
        // Given: pipelined requests; the first response's last 20 body bytes are lost, exactly.
        var c = Conversation();
        c.Client(B("GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\n"));
        c.Server(B(LengthHead30 + "0123456789"));

        // When
        c.Gap(fromClient: false, missingBytes: 20);
        c.Server(B("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"));

        // Then: the second response starts right after the hole, so it is read as is.
        Assert.Equal(["/a", "/b"], c.Sink.Http.Select(t => t.Path));
        Assert.Equal(((int?)200, LengthHead30.Length + 30L, (long?)(2 * Ms), (long?)(2 * Ms), 1), Response(c.Sink.Http[0]));
        Assert.Equal(((int?)404, 45L, (long?)(3 * Ms), (long?)(3 * Ms), 0), Response(c.Sink.Http[1]));
    }

    [Fact]
    public void PipelinedResponsesMeetTheirOwnRequestsWhenTheGapHitsTheFirst()
    {
        // Given
        var c = Conversation();
        c.Client(B("GET /first HTTP/1.1\r\n\r\nGET /second HTTP/1.1\r\n\r\n"));
        c.Server(B(LengthHead30 + "0123456789"));
        var second = "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc";

        // When: a hole of 10, then the end of the first body and the whole second response in one segment.
        c.Gap(fromClient: false, missingBytes: 10);
        c.Server(B("abcdefghij" + second));

        // Then
        Assert.Equal(["/first", "/second"], c.Sink.Http.Select(t => t.Path));
        Assert.Equal(((int?)200, LengthHead30.Length + 30L, (long?)(2 * Ms), (long?)(3 * Ms), 1), Response(c.Sink.Http[0]));
        Assert.Equal(((int?)200, (long)second.Length, (long?)(3 * Ms), (long?)(3 * Ms), 0), Response(c.Sink.Http[1]));
    }

    [Fact]
    public void ChunkedResponseWithALostSegmentEndsWithTheLastByteBeforeTheNextResponse()
    {
        // Given
        var c = Conversation();
        c.Client(B("GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\n"));
        var seen = ChunkedHead + "a\r\n0123456789\r\n";
        c.Server(B(seen));

        // When: 500 bytes lost; the chunk framing after the hole cannot be followed.
        c.Gap(fromClient: false, missingBytes: 500);
        c.Server(B("more chunk data"));
        c.Server(B("end of the body\r\n0\r\n\r\n"));
        c.Server(B("HTTP/1.1 204 No Content\r\n\r\n"));

        // Then: the first ends with the segment at 4 ms; its bytes are those seen plus the 500 lost.
        Assert.Equal(["/a", "/b"], c.Sink.Http.Select(t => t.Path));
        var bytes = seen.Length + 500L + "more chunk data".Length + "end of the body\r\n0\r\n\r\n".Length;
        Assert.Equal(((int?)200, bytes, (long?)(2 * Ms), (long?)(4 * Ms), 1), Response(c.Sink.Http[0]));
        Assert.Equal(((int?)204, 27L, (long?)(5 * Ms), (long?)(5 * Ms), 0), Response(c.Sink.Http[1]));
    }

    [Fact]
    public void ChunkedResponseWithAGapOfUnknownSizeEndsWithTheLastByteBeforeTheClose()
    {
        // Given
        var c = Conversation();
        c.Client(B("GET /stream HTTP/1.1\r\n\r\n"));
        var seen = ChunkedHead + "a\r\n0123456789\r\n";
        c.Server(B(seen));

        // When: a response start inside the body does not end it while no other request waits.
        c.Gap(fromClient: false);
        c.Server(B("HTTP/1.1 looks like a start but is body"));
        c.Server(B("last bytes"));
        c.End();

        // Then: only the bytes seen count, and the gap says some are missing.
        var t = Assert.Single(c.Sink.Http);
        var bytes = seen.Length + "HTTP/1.1 looks like a start but is body".Length + "last bytes".Length;
        Assert.Equal(((int?)200, (long)bytes, (long?)(2 * Ms), (long?)(4 * Ms), 1), Response(t));
    }

    [Fact]
    public void UncapturedTailOfASegmentCountsAsSentAtThatSegmentsTime()
    {
        // Given: a snap length that keeps 10 bytes of each 1,000-byte body segment.
        var c = Conversation();
        c.Client(B("GET /big HTTP/1.1\r\n\r\n"));
        var head = "HTTP/1.1 200 OK\r\nContent-Length: 3000\r\n\r\n";
        c.Server(B(head));

        // When
        for (var i = 0; i < 3; i++)
        {
            c.Server(B("0123456789"));
            c.Gap(fromClient: false, missingBytes: 990, snapCut: true);
        }

        // Then: the body ended inside the last tail, sent at 5 ms.
        var t = Assert.Single(c.Sink.Http);
        Assert.Equal(((int?)200, head.Length + 3000L, (long?)(2 * Ms), (long?)(5 * Ms), 3), Response(t));
    }

    [Fact]
    public void RequestBodyCutByAGapOfKnownSizeKeepsTheRequestAndTheDirectionInStep()
    {
        // Given: a 30-byte upload whose middle 10 bytes are lost.
        var c = Conversation();
        c.Client(B("POST /upload HTTP/1.1\r\nHost: h\r\nContent-Length: 30\r\n\r\n0123456789"));

        // When: the end of the body and the next request share a segment.
        c.Gap(fromClient: true, missingBytes: 10);
        c.Client(B("abcdefghij" + "GET /next HTTP/1.1\r\nHost: h\r\n\r\n"));
        c.Server(B("HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n"));
        c.Server(B("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));

        // Then
        Assert.Equal(
            [("/upload", (int?)201, 1 * Ms, 1), ("/next", 200, 2 * Ms, 0)],
            c.Sink.Http.Select(t => (t.Path, t.Status, t.RequestTimeNs, t.Gaps)));
    }

    [Fact]
    public void ChunkedRequestBodyCutByAGapWaitsForItsResponseAndTheNextRequestResynchronises()
    {
        // Given
        var c = Conversation();
        c.Client(B("POST /stream HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n"));

        // When
        c.Gap(fromClient: true, missingBytes: 100);
        c.Client(B("rest of the chunked body\r\n0\r\n\r\n"));
        c.Client(B("GET /next HTTP/1.1\r\nHost: h\r\n\r\n"));
        c.Server(B("HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n"));
        c.Server(B("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));

        // Then
        Assert.Equal(
            [("/stream", (int?)201, 1), ("/next", 200, 0)],
            c.Sink.Http.Select(t => (t.Path, t.Status, t.Gaps)));
        Assert.Empty(c.Sink.Diagnostics);
    }

    [Fact]
    public void LostSegmentThroughTheEngineIsCountedAndTheResponseEndsAtItsLastCapturedSegment()
    {
        // Given: a 4,000-byte body in four segments a second apart; the second is never captured.
        var head = "HTTP/1.1 200 OK\r\nContent-Length: 4000\r\n\r\n";
        var script = new TcpScript(serverPort: 80).Handshake().ClientSends("GET /obj.bin HTTP/1.1\r\nHost: oss.example.com\r\n\r\n");
        var requestNs = script.Packets[^1].TimeNs;
        script.Wait(TimeSpan.FromSeconds(1)).ServerSends(head + new string('a', 1000));
        var firstByteNs = script.Packets[^1].TimeNs;
        script.Wait(TimeSpan.FromSeconds(1)).ServerLoses(new string('b', 1000));
        script.Wait(TimeSpan.FromSeconds(1)).ServerSends(new string('c', 1000));
        script.Wait(TimeSpan.FromSeconds(1)).ServerSends(new string('d', 1000));
        var lastByteNs = script.Packets[^1].TimeNs;
        script.Wait(TimeSpan.FromSeconds(5)).Close();

        // When: the hole is given up only when the connection ends.
        var sink = CaptureRun.LiveWithProtocols(null, script.Packets);

        // Then: timed to the 'd' segment, not to the close, with the lost bytes in its size.
        var t = Assert.Single(sink.Http);
        Assert.Equal(((int?)200, head.Length + 4000L, (long?)firstByteNs, (long?)lastByteNs, 1), Response(t));
        Assert.Equal(requestNs, t.RequestTimeNs);
        Assert.Equal(1, sink.Connections[0].Gaps);
    }

    [Fact]
    public void SnapLengthCutResponseThroughTheEngineIsTimedToItsLastSegment()
    {
        // Given: a snap length of 54 + 200 bytes; five 1,000-byte body segments a second apart, the last one
        // captured down to its TCP header.
        var head = "HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n";
        var script = new TcpScript(serverPort: 80).Handshake().ClientSends("GET /obj.bin HTTP/1.1\r\nHost: oss.example.com\r\n\r\n").ServerSends(head);
        var firstByteNs = script.Packets[^1].TimeNs;
        for (var i = 0; i < 5; i++)
        {
            script.Wait(TimeSpan.FromSeconds(1)).ServerSends(new string((char)('a' + i), 1000));
        }

        var lastByteNs = script.Packets[^1].TimeNs;
        script.Wait(TimeSpan.FromSeconds(5)).Close();
        var packets = script.Packets.Select(p => (p.Interface, p.TimeNs, Frame: p.Frame.Length > 254 ? p.Frame[..254] : p.Frame)).ToArray();
        packets[^4] = packets[^4] with { Frame = packets[^4].Frame[..54] };

        // When
        var sink = CaptureRun.LiveWithProtocols(null, packets);

        // Then: every tail counts as a gap on the transaction; the connection counts the cut once.
        var t = Assert.Single(sink.Http);
        Assert.Equal(((int?)200, head.Length + 5000L, (long?)firstByteNs, (long?)lastByteNs, 5), Response(t));
        Assert.Equal(1, sink.Connections[0].Gaps);
    }
}
