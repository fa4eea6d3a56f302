using KubeTriage.Capture.Primitives;
using KubeTriage.Capture.Tests.Support;

namespace KubeTriage.Capture.Tests.Flows;

public class TcpStreamFeederTests
{
    [Fact]
    public void OutOfOrderSegmentsAreDeliveredInOrderWithOverlapsTrimmed()
    {
        // Given: "hello world" sent as "hello", " world" with the second arriving first, plus an overlapping resend
        var script = new TcpScript().Handshake()
            .ClientSegmentAt(5, " world")
            .ClientSegmentAt(0, "hello")
            .ClientSegmentAt(3, "lo wo");
        var registry = new TestRegistry();

        // When
        var sink = CaptureRun.Live(registry, null, script.Packets);

        // Then
        var dissector = Assert.Single(registry.TcpDissectors);
        Assert.Equal("hello world", dissector.ClientBytes.ToString());
        Assert.Equal(["end"], dissector.Events);
        Assert.Equal(0, sink.Connections[0].Gaps);
    }

    [Fact]
    public void UnconsumedBytesAreOfferedAgainWithTheNextSegment()
    {
        // Given: a dissector that only takes whole 4-byte messages
        var script = new TcpScript().Handshake().ClientSends("abcdef").ClientSends("gh");
        var registry = new TestRegistry { Consume = data => data.Length / 4 * 4 };

        // When
        _ = CaptureRun.Live(registry, null, script.Packets);

        // Then
        Assert.Equal("abcdefgh", registry.TcpDissectors[0].ClientBytes.ToString());
    }

    [Fact]
    public void HoleThatNeverFillsBecomesOneGapAndDeliveryResumes()
    {
        // Given: bytes 0-4 are never captured; more segments follow than the reorder buffer holds
        var script = new TcpScript().Handshake().ClientSegmentAt(5, "AAAAA").ClientSegmentAt(10, "BBBBB").ClientSegmentAt(15, "CCCCC");
        var registry = new TestRegistry();
        var options = new CaptureOptions { MaxOutOfOrderSegments = 2 };

        // When
        var sink = CaptureRun.Live(registry, options, script.Packets);

        // Then
        var dissector = Assert.Single(registry.TcpDissectors);
        Assert.Equal("AAAAABBBBBCCCCC", dissector.ClientBytes.ToString());
        Assert.Equal(["gap client 5", "end"], dissector.Events);
        Assert.Equal(1, sink.Connections[0].Gaps);
    }

    [Fact]
    public void SnapLengthCutIsOneGapPerDirectionNotOnePerSegment()
    {
        // Given: every data segment lost its tail to a short snap length
        var script = new TcpScript().Handshake();
        for (int i = 0; i < 10; i++)
        {
            script.ClientSends("request number " + i).ServerSends("response number " + i);
        }

        var packets = script.Packets.Select(p => p.Frame.Length > 54 ? (p.Interface, p.TimeNs, p.Frame[..60]) : p).ToArray();
        var registry = new TestRegistry();

        // When
        var sink = CaptureRun.Live(registry, null, packets);

        // Then
        var dissector = Assert.Single(registry.TcpDissectors);
        Assert.Equal(["gap client ? cut", "gap server ? cut", "end"], dissector.Events);
        Assert.Equal(2, sink.Connections[0].Gaps);
        Assert.Empty(sink.Diagnostics);
        Assert.Contains(sink.FilesEnded[0].Problems, p => p.Contains("20 packets were cut short by the capture's snap length", StringComparison.Ordinal));
    }

    [Fact]
    public void DissectorThatFollowsSnapCutsGetsEachCapturedPartAndTheSizeOfEachTail()
    {
        // Given: a snap length that keeps 6 bytes of payload; a small segment fits, and one segment is lost
        var script = new TcpScript().Handshake()
            .ServerSends("first segment, 20 b.")
            .ServerSends("tail")
            .ServerLoses("0123456789")
            .ServerSends("third segment, 20 b.");
        var packets = script.Packets.Select(p => p.Frame.Length > 60 ? (p.Interface, p.TimeNs, p.Frame[..60]) : p).ToArray();
        var registry = new TestRegistry { FollowSnapCuts = true };

        // When
        var sink = CaptureRun.Live(registry, null, packets);

        // Then: the lost segment is a gap of its size at once (nothing is held after a cut)
        var dissector = Assert.Single(registry.TcpDissectors);
        Assert.Equal("first tailthird ", dissector.ServerBytes.ToString());
        Assert.Equal(["gap server 14 cut", "gap server 10", "gap server 14 cut", "end"], dissector.Events);
        Assert.Equal(2, sink.Connections[0].Gaps);
    }

    [Fact]
    public void BufferOverflowIsADiagnosticAndAGap()
    {
        // Given: a dissector that never consumes and a 16-byte cap
        var script = new TcpScript().Handshake().ClientSends("0123456789").ClientSends("0123456789");
        var registry = new TestRegistry { Consume = _ => 0 };
        var options = new CaptureOptions { MaxStreamBufferBytes = 16 };

        // When
        var sink = CaptureRun.Live(registry, options, script.Packets);

        // Then
        var diagnostic = Assert.Single(sink.Diagnostics);
        Assert.Equal(WireError.FlowBufferOverflow, diagnostic.Reason);
        Assert.Equal("198.18.1.20:40000 > 198.18.2.20:3306", diagnostic.Flow);
        Assert.Equal(["gap client 20", "end"], registry.TcpDissectors[0].Events);
    }

    [Fact]
    public void DissectorExceptionStopsThatFlowOnlyAndIsReported()
    {
        // Given: two connections whose dissectors throw
        var first = new TcpScript(clientPort: 40001).Handshake().ClientSends("a").ClientSends("b");
        var second = new TcpScript(clientPort: 40002).Handshake().ClientSends("c");
        var registry = new TestRegistry { ThrowOnData = true };

        // When
        var sink = CaptureRun.Live(registry, null, [.. first.Packets, .. second.Packets.Select(p => (p.Interface, p.TimeNs + 1_000_000_000, p.Frame))]);

        // Then: one diagnostic per connection, both connections still reported
        Assert.Equal(2, sink.Diagnostics.Count);
        Assert.All(sink.Diagnostics, d => Assert.Equal(WireError.InternalError, d.Reason));
        Assert.Contains("InvalidOperationException: dissector bug", sink.Diagnostics[0].Message, StringComparison.Ordinal);
        Assert.Equal(2, sink.Connections.Count);
    }

    [Fact]
    public void RegistryIsAskedAFewTimesThenNoMore()
    {
        // Given: nothing recognises this stream
        var script = new TcpScript().Handshake();
        for (int i = 0; i < 10; i++)
        {
            script.ClientSends("x");
        }

        var registry = new TestRegistry { TcpRecognises = _ => false };

        // When
        var sink = CaptureRun.Live(registry, new CaptureOptions { MaxDissectorAttempts = 3 }, script.Packets);

        // Then
        Assert.Equal(3, registry.CreateTcpCalls);
        Assert.Null(sink.Connections[0].Protocol);
    }

    [Fact]
    public void LateRecognitionStartsDeliveryAtThatSegment()
    {
        // Given: the registry only knows the stream from its second payload
        var script = new TcpScript().Handshake().ClientSends("??").ClientSends("HELLO").ServerSends("WORLD");
        var registry = new TestRegistry { TcpRecognises = data => data[0] == (byte)'H' };

        // When
        var sink = CaptureRun.Live(registry, null, script.Packets);

        // Then
        var dissector = Assert.Single(registry.TcpDissectors);
        Assert.Equal("HELLO", dissector.ClientBytes.ToString());
        Assert.Equal("WORLD", dissector.ServerBytes.ToString());
        Assert.Equal("test", sink.Connections[0].Protocol);
        Assert.False(dissector.Context.MidStream);
    }
}
