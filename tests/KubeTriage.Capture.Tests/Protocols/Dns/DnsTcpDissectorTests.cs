using KubeTriage.Capture.Flows;
using KubeTriage.Capture.Primitives;
using KubeTriage.Capture.Protocols;
using KubeTriage.Capture.Protocols.Dns;
using KubeTriage.Capture.Tests.Protocols.Support;
using KubeTriage.Capture.Tests.Support;

namespace KubeTriage.Capture.Tests.Protocols.Dns;

public class DnsTcpDissectorTests
{
    private static readonly WireEndpoint Client = new(NetAddress.Parse("198.18.1.20"), 40000);
    private static readonly WireEndpoint Server = new(NetAddress.Parse("198.18.2.10"), 53);

    private readonly RecordingSink _sink = new();

    private DnsTcpDissector Create(bool midStream = false) =>
        new(new TcpStreamContext(Client, Server, midStream, "f", _sink), ProtocolOptions.Default, new TextCache());

    [Fact]
    public void PipelinedQueriesAnsweredOutOfOrderAreMatchedById()
    {
        // Given: A and AAAA queries in one segment.
        var dns = Create();
        var queries = DnsBytes.Framed(DnsBytes.Query(1, "db.shop", 1)).Concat(DnsBytes.Framed(DnsBytes.Query(2, "db.shop", 28))).ToArray();
        Assert.Equal(queries.Length, dns.OnData(queries, true, 100, 4));

        // When: the AAAA answer comes first.
        var aaaa = DnsBytes.Framed(DnsBytes.Response(2, "db.shop", 28));
        var a = DnsBytes.Framed(DnsBytes.Response(1, "db.shop", 1, 0, "198.18.2.20"));
        Assert.Equal(aaaa.Length, dns.OnData(aaaa, false, 200, 6));
        Assert.Equal(a.Length, dns.OnData(a, false, 300, 8));

        // Then
        Assert.Equal([((ushort)2, 100L, (long?)200), (1, 100, 300)], _sink.Dns.Select(t => (t.Id, t.QueryTimeNs, t.ResponseTimeNs)));
        Assert.All(_sink.Dns, t => Assert.True(t.OverTcp));
    }

    [Fact]
    public void MessageSplitAcrossSegmentsIsNeedMoreUntilComplete()
    {
        // Given
        var dns = Create();
        var query = DnsBytes.Framed(DnsBytes.Query(1, "db.shop"));

        // When / Then: every prefix consumes nothing; the whole consumes all.
        for (var length = 0; length < query.Length; length++)
        {
            Assert.Equal(0, dns.OnData(query.AsSpan(0, length), true, 1, 1));
        }

        Assert.Equal(query.Length, dns.OnData(query, true, 1, 1));
        dns.OnEnd(2);
        Assert.Null(Assert.Single(_sink.Dns).Rcode);
    }

    [Fact]
    public void MidStreamConnectionSkipsBytesUntilAWholeMessageStartsASegment()
    {
        // Given: the capture began inside a message.
        var dns = Create(midStream: true);
        var tail = Hex.Parse("6f6d0000010001");

        // When
        var skipped = dns.OnData(tail, true, 1, 1);
        var query = DnsBytes.Framed(DnsBytes.Query(3, "db.shop"));
        var consumed = dns.OnData(query, true, 2, 2);
        dns.OnData(DnsBytes.Framed(DnsBytes.Response(3, "db.shop", 1, 3)), false, 3, 3);

        // Then
        Assert.Equal((tail.Length, query.Length), (skipped, consumed));
        Assert.Equal(3, Assert.Single(_sink.Dns).Rcode);
        Assert.Empty(_sink.Diagnostics);
    }

    [Fact]
    public void LengthPrefixShorterThanAHeaderLosesFramingAndIsReported()
    {
        // Given
        var dns = Create();

        // When
        var consumed = dns.OnData(Hex.Parse("0005 0102030405 0000"), true, 1, 7);

        // Then
        Assert.Equal(9, consumed);
        var d = Assert.Single(_sink.Diagnostics);
        Assert.Equal((WireError.DnsBadHeader, 7L, 0L, "length prefix shorter than a DNS header"), (d.Reason, d.Frame, d.Offset, d.Message));
    }

    [Fact]
    public void QuerySentByTheEngineGuessedServerMakesThatSideTheClient()
    {
        // Given: mid-stream, the engine guessed the roles the wrong way round.
        var dns = Create(midStream: true);

        // When
        dns.OnData(DnsBytes.Framed(DnsBytes.Query(8, "db.shop")), false, 1, 1);
        dns.OnData(DnsBytes.Framed(DnsBytes.Response(8, "db.shop")), true, 2, 2);

        // Then
        var t = Assert.Single(_sink.Dns);
        Assert.Equal((Server, Client), (t.Client, t.Server));
    }
}
