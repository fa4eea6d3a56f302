using KubeTriage.Capture.Protocols;
using KubeTriage.Capture.Protocols.Dns;
using KubeTriage.Capture.Protocols.Http;
using KubeTriage.Capture.Protocols.MySql;
using KubeTriage.Capture.Protocols.Tls;
using KubeTriage.Capture.Tests.Protocols.MySql;
using KubeTriage.Capture.Tests.Protocols.Support;
using KubeTriage.Capture.Tests.Protocols.Tls;

namespace KubeTriage.Capture.Tests.Protocols;

/// <summary>
/// Parsing allocates nothing: every <c>TryRead</c> over canned real bytes, in a loop after a warm-up,
/// leaves the thread's allocation counter where it was. (Strings are made only when a transaction is
/// reported, which these loops never do.)
/// </summary>
public class ProtocolAllocationTests
{
    private const int Loops = 1000;

    public static TheoryData<string> Readers => new()
    {
        "dns-message", "dns-answer-text", "mysql-greeting", "mysql-login", "mysql-ok", "mysql-err", "mysql-command",
        "mysql-column-definition", "http-request-head", "http-chunk-size", "tls-record-and-hello",
    };

    [Theory]
    [MemberData(nameof(Readers))]
    public void TryReadAllocatesNothing(string reader)
    {
        // Given
        var input = Input(reader);
        var scratch = new byte[DnsRdata.MaxTextBytes];
        var total = Loop(reader, input, scratch, 100);

        // When: the least of a few rounds, so that a one-off allocation of the runtime's own (tiering a method
        // up while a busy machine runs other tests) is not counted, while one per call shows in every round
        var allocated = long.MaxValue;
        for (var round = 0; round < 5 && allocated != 0; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            total += Loop(reader, input, scratch, Loops);
            allocated = Math.Min(allocated, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        // Then
        Assert.True(total > 0);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void SkippingRowsOfAResultSetAllocatesNothing()
    {
        // Given: a dissector inside a result set, and a segment of 20 rows.
        var dissector = new MySqlStreamDissector(
            new KubeTriage.Capture.Flows.TcpStreamContext(StreamConversation.ClientEndpoint, StreamConversation.ServerEndpoint, true, "f", new Capture.Tests.Support.RecordingSink()),
            ProtocolOptions.Default,
            new TextCache());
        dissector.OnData(MySqlBytes.Query("select a from t"), true, 1, 1);
        dissector.OnData([.. MySqlBytes.Packet(1, "01"), .. MySqlBytes.Packet(2, "03646566 00 00 00 0161 00 0c 2100 ffff0000 fd 0000 1f 0000"), .. MySqlBytes.Packet(3, "fe 0000 0200")], false, 2, 2);
        var rows = Enumerable.Range(0, 20).SelectMany(i => MySqlBytes.Packet((byte)(4 + i), [0x05, .. "hello"u8])).ToArray();
        var consumed = 0L;
        for (var i = 0; i < 10; i++)
        {
            consumed += dissector.OnData(rows, false, 3, 3);
        }

        // When: the least of a few rounds (see TryReadAllocatesNothing)
        var allocated = long.MaxValue;
        var calls = 10L;
        for (var round = 0; round < 5 && allocated != 0; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < Loops; i++)
            {
                consumed += dissector.OnData(rows, false, 3, 3);
            }

            allocated = Math.Min(allocated, GC.GetAllocatedBytesForCurrentThread() - before);
            calls += Loops;
        }

        // Then
        Assert.Equal(calls * rows.Length, consumed);
        Assert.Equal(0, allocated);
    }

    private static byte[] Input(string reader) => reader switch
    {
        "dns-message" or "dns-answer-text" => TranscriptPayload.Of("zeek__pcapng-multi-interface", 2),
        "mysql-greeting" => TranscriptPayload.Of("deepflow__mysql-error-initdb", 4),
        "mysql-login" => TranscriptPayload.Of("deepflow__mysql-error-initdb", 6),
        "mysql-ok" => Hex.Parse("0700000200000002000000"),
        "mysql-err" => Hex.Parse("20000001ff1904233432303030556e6b6e6f776e20646174616261736520276162636427"),
        "mysql-command" => TranscriptPayload.Of("deepflow__mysql-error-initdb", 9),
        "mysql-column-definition" => TranscriptPayload.Of("deepflow__mysql-error-initdb", 10)[5..],
        "http-request-head" => TranscriptPayload.Of("zeek__http-vlan", 4),
        "http-chunk-size" => "1f40;ext\r\n"u8.ToArray(),
        _ => TlsBytes.ChromeRecord,
    };

    private static long Loop(string reader, byte[] input, byte[] scratch, int loops)
    {
        long total = 0;
        for (var i = 0; i < loops; i++)
        {
            total += reader switch
            {
                "dns-message" => DnsMessage.TryRead(input, out _).Consumed,
                "dns-answer-text" => AnswerText(input, scratch),
                "mysql-greeting" => HandshakeV10Packet.TryRead(input, out _).Consumed,
                "mysql-login" => HandshakeResponse41Packet.TryRead(input, out _).Consumed,
                "mysql-ok" => OkPacket.TryRead(input, out _).Consumed,
                "mysql-err" => ErrPacket.TryRead(input, out _).Consumed,
                "mysql-command" => CommandPacket.TryRead(input, out _).Consumed,
                "mysql-column-definition" => ColumnDefinition41Packet.TryRead(input, out _).Consumed,
                "http-request-head" => HttpHead(input),
                "http-chunk-size" => HttpChunkSizeLine.TryRead(input, out _).Consumed,
                _ => TlsHello(input),
            };
        }

        return total;
    }

    private static int AnswerText(byte[] message, byte[] scratch)
    {
        DnsMessage.TryRead(message, out var parsed);
        var offset = parsed.AnswerOffset;
        var written = 0;
        for (var i = 0; i < parsed.AnswersRead; i++)
        {
            var result = DnsResourceRecord.TryRead(message, offset, out var record);
            written += record.Name.WriteText(scratch);
            written += DnsRdata.WriteText(record.Type, message, record.RdataOffset, record.RdataLength, scratch);
            offset += result.Consumed;
        }

        return written;
    }

    private static int HttpHead(byte[] input)
    {
        var line = HttpRequestLine.TryRead(input, 65536, out _);
        return line.Consumed + HttpHeaderSection.TryRead(input.AsSpan(line.Consumed), 65536, 100, out _).Consumed;
    }

    private static int TlsHello(byte[] input)
    {
        TlsRecordHeader.TryRead(input, out var record);
        return ClientHelloMessage.TryRead(record.Fragment, out _).Consumed;
    }
}
