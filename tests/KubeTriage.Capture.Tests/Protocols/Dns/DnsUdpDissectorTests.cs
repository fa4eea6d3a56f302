using KubeTriage.Capture.Primitives;
using KubeTriage.Capture.Protocols;
using KubeTriage.Capture.Protocols.Dns;
using KubeTriage.Capture.Tests.Protocols.Support;
using KubeTriage.Capture.Tests.Support;

namespace KubeTriage.Capture.Tests.Protocols.Dns;

public class DnsUdpDissectorTests
{
    private const long Ms = 1_000_000;
    private static readonly WireEndpoint Client = new(NetAddress.Parse("198.18.1.20"), 40000);
    private static readonly WireEndpoint OtherPort = new(NetAddress.Parse("198.18.1.20"), 40001);
    private static readonly WireEndpoint Resolver = new(NetAddress.Parse("198.18.2.10"), 53);
    private static readonly WireEndpoint Upstream = new(NetAddress.Parse("198.18.2.11"), 53);

    private readonly RecordingSink _sink = new();
    private readonly DnsUdpDissector _dns;

    public DnsUdpDissectorTests() => _dns = new DnsUdpDissector(_sink);

    [Fact]
    public void ResponsePairsWithItsQueryAndKeepsTheAnswers()
    {
        // Given
        _dns.OnDatagram(DnsBytes.Query(7, "oss.example.com"), Client, Resolver, 1000 * Ms, 1, "f.pcap");

        // When
        _dns.OnDatagram(DnsBytes.Response(7, "oss.example.com", 1, 0, "198.18.3.2", "198.18.3.3"), Resolver, Client, 1003 * Ms, 2, "f.pcap");

        // Then
        var t = Assert.Single(_sink.Dns);
        Assert.Equal(("oss.example.com", (ushort)1, 0, 0.003), (t.Name, t.QueryType, t.Rcode!.Value, Math.Round(t.LatencySeconds!.Value, 6)));
        Assert.Equal(["198.18.3.2", "198.18.3.3"], t.Answers.Select(a => a.Data));
        Assert.Equal((Client, Resolver, 1L, (long?)2), (t.Client, t.Server, t.QueryFrame, t.ResponseFrame));
        Assert.Equal(0, _dns.PendingCount);
    }

    [Fact]
    public void RepeatedAnswerIsSharedAndADifferentOneIsNot()
    {
        // Given: the same answer twice, then another address for the same name.
        _dns.OnDatagram(DnsBytes.Query(7, "oss.example.com"), Client, Resolver, 1000 * Ms, 1, "f.pcap");
        _dns.OnDatagram(DnsBytes.Response(7, "oss.example.com", 1, 0, "198.18.3.2"), Resolver, Client, 1001 * Ms, 2, "f.pcap");
        _dns.OnDatagram(DnsBytes.Query(8, "oss.example.com"), OtherPort, Resolver, 1002 * Ms, 3, "f.pcap");
        _dns.OnDatagram(DnsBytes.Response(8, "oss.example.com", 1, 0, "198.18.3.2"), Resolver, OtherPort, 1003 * Ms, 4, "f.pcap");
        _dns.OnDatagram(DnsBytes.Query(9, "oss.example.com"), Client, Resolver, 1004 * Ms, 5, "f.pcap");

        // When
        _dns.OnDatagram(DnsBytes.Response(9, "oss.example.com", 1, 0, "198.18.3.3"), Resolver, Client, 1005 * Ms, 6, "f.pcap");

        // Then
        Assert.Equal(3, _sink.Dns.Count);
        Assert.Same(_sink.Dns[0].Answers, _sink.Dns[1].Answers);
        Assert.Equal(["198.18.3.2"], _sink.Dns[1].Answers.Select(a => a.Data));
        Assert.Equal(["198.18.3.3"], _sink.Dns[2].Answers.Select(a => a.Data));
    }

    [Fact]
    public void SameIdFromAnotherSourcePortIsAnotherQuery()
    {
        // Given
        _dns.OnDatagram(DnsBytes.Query(7, "a.example"), Client, Resolver, 0, 1, "f");
        _dns.OnDatagram(DnsBytes.Query(7, "a.example"), OtherPort, Resolver, 1 * Ms, 2, "f");

        // When
        _dns.OnDatagram(DnsBytes.Response(7, "a.example", 1, 0, "198.18.4.10"), Resolver, OtherPort, 2 * Ms, 3, "f");
        _dns.OnEnd(3 * Ms);

        // Then
        Assert.Equal([(2L, (int?)0), (1L, null)], _sink.Dns.Select(t => (t.QueryFrame, t.Rcode)));
    }

    [Fact]
    public void QuerySentAgainToTheSameServerIsOneTransactionWithRetransmissions()
    {
        // Given: three sends one second apart, answered after the third.
        for (var i = 0; i < 3; i++)
        {
            _dns.OnDatagram(DnsBytes.Query(9, "db.shop"), Client, Resolver, i * 1000 * Ms, i + 1, "f");
        }

        // When
        _dns.OnDatagram(DnsBytes.Response(9, "db.shop", 1, 0, "198.18.2.20"), Resolver, Client, 2010 * Ms, 4, "f");

        // Then
        var t = Assert.Single(_sink.Dns);
        Assert.Equal((2, 1L, 2.01), (t.Retransmissions, t.QueryFrame, t.LatencySeconds!.Value));
        Assert.Equal(2, _dns.Retransmissions);
    }

    [Fact]
    public void RetransmissionKeepsTheTimeOfItsLastSend()
    {
        // Given: dig +timeout=1: sent at 0 s and 1 s, answered 2 ms after the second
        _dns.OnDatagram(DnsBytes.Query(9, "db.shop"), Client, Resolver, 0, 1, "f");
        _dns.OnDatagram(DnsBytes.Query(9, "db.shop"), Client, Resolver, 1000 * Ms, 2, "f");

        // When
        _dns.OnDatagram(DnsBytes.Response(9, "db.shop", 1, 0, "198.18.2.20"), Resolver, Client, 1002 * Ms, 3, "f");

        // Then
        var t = Assert.Single(_sink.Dns);
        Assert.Equal((1000 * Ms, 0L, 1002 * Ms, 1), (t.LastSentNs, t.FirstSentNs, t.WaitNs!.Value, t.Resends));
        Assert.Null(t.Earlier);
    }

    [Fact]
    public void QueryReSentFromANewPortCarriesTheUnansweredFirstSend()
    {
        // Given: glibc with single-request-reopen and timeout:2: no answer to port 40000, then the same question from port 40001
        _dns.OnDatagram(DnsBytes.Query(7, "db.shop"), Client, Resolver, 0, 1, "f");
        _dns.OnDatagram(DnsBytes.Query(8, "db.shop"), OtherPort, Resolver, 2000 * Ms, 2, "f");

        // When
        _dns.OnDatagram(DnsBytes.Response(8, "db.shop", 1, 0, "198.18.2.20"), Resolver, OtherPort, 2002 * Ms, 3, "f");
        _dns.OnEnd(3000 * Ms);

        // Then: the first copy is reported unanswered, the answered one says where the question began
        Assert.Equal([(2L, (int?)0), (1L, null)], _sink.Dns.Select(t => (t.QueryFrame, t.Rcode)));
        var answered = _sink.Dns[0];
        Assert.Equal(new DnsEarlierQuery(0, 1, "f", Client, 7, 1, 1, false), answered.Earlier);
        Assert.Equal((2002 * Ms, 1, 2000 * Ms), (answered.WaitNs!.Value, answered.Resends, answered.LastSentNs));
        Assert.Equal(1, _dns.Resends);
        Assert.Equal(0, _dns.QuestionCount);
    }

    [Fact]
    public void SameQuerySentAgainAfterItWasGivenUpIsAReSendOfIt()
    {
        // Given: glibc's 5 s timeout: the re-send (same port, same id) comes just after the dissector gave the first up
        _dns.OnDatagram(DnsBytes.Query(7, "db.shop"), Client, Resolver, 0, 1, "f");
        _dns.OnDatagram(DnsBytes.Query(7, "db.shop"), Client, Resolver, 5001 * Ms, 2, "f");

        // When
        _dns.OnDatagram(DnsBytes.Response(7, "db.shop", 1, 0, "198.18.2.20"), Resolver, Client, 5003 * Ms, 3, "f");

        // Then
        Assert.Equal([(1L, (int?)null), (2L, 0)], _sink.Dns.Select(t => (t.QueryFrame, t.Rcode)));
        Assert.Equal((0L, 1, 1), (_sink.Dns[1].FirstSentNs, _sink.Dns[1].Resends, _sink.Dns[1].Earlier!.Queries));
    }

    [Fact]
    public void AnotherLookupOfAnAnsweredQuestionIsNoReSend()
    {
        // Given: two processes ask the same name 300 ms apart; the first answer comes before the second's
        _dns.OnDatagram(DnsBytes.Query(7, "db.shop"), Client, Resolver, 0, 1, "f");
        _dns.OnDatagram(DnsBytes.Query(8, "db.shop"), OtherPort, Resolver, 300 * Ms, 2, "f");
        _dns.OnDatagram(DnsBytes.Response(7, "db.shop", 1, 0, "198.18.2.20"), Resolver, Client, 400 * Ms, 3, "f");

        // When
        _dns.OnDatagram(DnsBytes.Response(8, "db.shop", 1, 0, "198.18.2.20"), Resolver, OtherPort, 401 * Ms, 4, "f");
        _dns.OnDatagram(DnsBytes.Query(9, "db.shop"), Client, Resolver, 2000 * Ms, 5, "f");
        _dns.OnDatagram(DnsBytes.Response(9, "db.shop", 1, 0, "198.18.2.20"), Resolver, Client, 2001 * Ms, 6, "f");

        // Then
        Assert.Equal(3, _sink.Dns.Count);
        Assert.All(_sink.Dns, t => Assert.Null(t.Earlier));
    }

    [Fact]
    public void QuestionGivenUpLongerThanTheReSendWindowAgoStartsAfresh()
    {
        // Given: no answer, and the same question 20 s later
        _dns.OnDatagram(DnsBytes.Query(7, "db.shop"), Client, Resolver, 0, 1, "f");
        _dns.OnTime(6000 * Ms);
        var remembered = _dns.QuestionCount;
        _dns.OnDatagram(DnsBytes.Query(8, "db.shop"), OtherPort, Resolver, 20_000 * Ms, 2, "f");

        // When
        _dns.OnDatagram(DnsBytes.Response(8, "db.shop", 1, 0, "198.18.2.20"), Resolver, OtherPort, 20_001 * Ms, 3, "f");

        // Then: remembered while it could still be re-sent, forgotten after
        Assert.Equal(1, remembered);
        Assert.Null(_sink.Dns[^1].Earlier);
        Assert.Equal(0, _dns.QuestionCount);
    }

    [Fact]
    public void AAndAaaaFromOnePortAtOnceAreTwins()
    {
        // Given: glibc's parallel lookup from port 40000; another lookup's AAAA from port 40001
        _dns.OnDatagram(DnsBytes.Query(7, "db.shop", DnsType.A), Client, Resolver, 0, 1, "f");
        _dns.OnDatagram(DnsBytes.Query(8, "db.shop", DnsType.AAAA), Client, Resolver, Ms / 10, 2, "f");
        _dns.OnDatagram(DnsBytes.Query(9, "db.shop", DnsType.AAAA), OtherPort, Resolver, 100 * Ms, 3, "f");

        // When
        _dns.OnDatagram(DnsBytes.Response(7, "db.shop", DnsType.A, 0, "198.18.2.20"), Resolver, Client, 1 * Ms, 4, "f");
        _dns.OnEnd(200 * Ms);

        // Then
        Assert.Equal([(1L, true), (2L, true), (3L, false)], _sink.Dns.Select(t => (t.QueryFrame, t.SentWithTwin)));
    }

    [Fact]
    public void CopyOfTheSameQueryWithinTheDuplicateWindowIsNotARetransmission()
    {
        // Given: tcpdump -i any on a forwarding node sees the query on the veth and on the NIC.
        _dns.OnDatagram(DnsBytes.Query(9, "db.shop"), Client, Resolver, 0, 1, "f");
        _dns.OnDatagram(DnsBytes.Query(9, "db.shop"), Client, Resolver, 20_000, 2, "f");

        // When
        _dns.OnDatagram(DnsBytes.Response(9, "db.shop", 1, 0, "198.18.2.20"), Resolver, Client, 1 * Ms, 3, "f");
        _dns.OnDatagram(DnsBytes.Response(9, "db.shop", 1, 0, "198.18.2.20"), Resolver, Client, 1 * Ms + 20_000, 4, "f");

        // Then
        Assert.Equal(0, Assert.Single(_sink.Dns).Retransmissions);
        Assert.Equal((2L, 0L, 0L), (_dns.DuplicateCopies, _dns.UnmatchedResponses, _dns.DuplicateResponses));
    }

    [Fact]
    public void UnansweredQueryIsReportedOnceWhenTheTimeoutPassesAfterItsLastSend()
    {
        // Given: sends at 0 s and 3 s; the default timeout is 5 s.
        _dns.OnDatagram(DnsBytes.Query(1, "example-api.com"), Client, Resolver, 0, 1, "f");
        _dns.OnDatagram(DnsBytes.Query(1, "example-api.com"), Client, Resolver, 3000 * Ms, 2, "f");

        // When
        _dns.OnTime(7999 * Ms);
        var beforeDeadline = _sink.Dns.Count;
        _dns.OnTime(8000 * Ms);
        _dns.OnEnd(9000 * Ms);

        // Then
        Assert.Equal(0, beforeDeadline);
        var t = Assert.Single(_sink.Dns);
        Assert.Equal(((int?)null, (long?)null, 1, 0L), (t.Rcode, t.ResponseTimeNs, t.Retransmissions, t.QueryTimeNs));
    }

    [Fact]
    public void ResponseAfterTheTimeoutMatchesNothing()
    {
        // Given
        _dns.OnDatagram(DnsBytes.Query(1, "example-api.com"), Client, Resolver, 0, 1, "f");

        // When
        _dns.OnDatagram(DnsBytes.Response(1, "example-api.com"), Resolver, Client, 6000 * Ms, 2, "f");

        // Then
        Assert.Null(Assert.Single(_sink.Dns).Rcode);
        Assert.Equal(1, _dns.UnmatchedResponses);
    }

    [Fact]
    public void ResponseWithoutAQueryIsCountedNotReported()
    {
        // When
        _dns.OnDatagram(DnsBytes.Response(5, "x.example", 1, 3), Resolver, Client, 0, 1, "f");

        // Then
        Assert.Empty(_sink.Dns);
        Assert.Equal((1L, 1L), (_dns.Responses, _dns.UnmatchedResponses));
    }

    [Fact]
    public void SecondAnswerToARetransmittedQueryIsADuplicateResponse()
    {
        // Given
        _dns.OnDatagram(DnsBytes.Query(2, "x.example"), Client, Resolver, 0, 1, "f");
        _dns.OnDatagram(DnsBytes.Query(2, "x.example"), Client, Resolver, 1000 * Ms, 2, "f");
        _dns.OnDatagram(DnsBytes.Response(2, "x.example", 1, 0, "198.18.4.10"), Resolver, Client, 1100 * Ms, 3, "f");

        // When
        _dns.OnDatagram(DnsBytes.Response(2, "x.example", 1, 0, "198.18.4.10"), Resolver, Client, 1200 * Ms, 4, "f");

        // Then
        Assert.Single(_sink.Dns);
        Assert.Equal((1L, 0L), (_dns.DuplicateResponses, _dns.UnmatchedResponses));
    }

    [Fact]
    public void QueriesToTwoResolversAreTwoTransactions()
    {
        // Given
        _dns.OnDatagram(DnsBytes.Query(3, "x.example"), Client, Resolver, 0, 1, "f");
        _dns.OnDatagram(DnsBytes.Query(3, "x.example"), Client, Upstream, 1 * Ms, 2, "f");

        // When
        _dns.OnDatagram(DnsBytes.Response(3, "x.example", 1, 2), Upstream, Client, 2 * Ms, 3, "f");
        _dns.OnEnd(3 * Ms);

        // Then
        Assert.Equal([(Upstream, (int?)2), (Resolver, null)], _sink.Dns.Select(t => (t.Server, t.Rcode)));
    }

    [Fact]
    public void DatagramCutShortIsReportedAsTruncatedAndStillPairs()
    {
        // Given
        _dns.OnDatagram(DnsBytes.Query(4, "x.example"), Client, Resolver, 0, 1, "f");
        var response = DnsBytes.Response(4, "x.example", 1, 0, "198.18.4.10", "198.18.4.11");

        // When: the second answer is cut by the snap length.
        _dns.OnDatagram(response.AsSpan(0, response.Length - 3), Resolver, Client, 1 * Ms, 2, "f");

        // Then
        var t = Assert.Single(_sink.Dns);
        Assert.Equal(["198.18.4.10"], t.Answers.Select(a => a.Data));
        var d = Assert.Single(_sink.Diagnostics);
        Assert.Equal((WireError.DnsTruncated, 2L, "message ends before its counted sections"), (d.Reason, d.Frame, d.Message));
    }

    [Fact]
    public void GarbageOnPort53IsADiagnosticAndNothingElse()
    {
        // When
        _dns.OnDatagram(Hex.Parse("deadbeef"), Client, Resolver, 0, 1, "f");

        // Then
        Assert.Empty(_sink.Dns);
        Assert.Equal(WireError.DnsTruncated, Assert.Single(_sink.Diagnostics).Reason);
        Assert.Equal(1, _dns.Malformed);
    }

    [Fact]
    public void RetriedQueryAlternatingTwoResolversIsOneUnansweredTransactionPerResolver()
    {
        // Given: chrissanders nowebaccess1: id 0x80d1 sent 7 times over 8 s to 4.2.2.2 and 4.2.2.1.
        var sink = TranscriptReplay.Run("chrissanders__dns-no-response", "chrissanders__dns-no-response.pcapng");

        // Then
        Assert.Equal(
            [("4.2.2.2:53", 3, (int?)null), ("4.2.2.1:53", 2, null)],
            sink.Dns.Select(t => (t.Server.ToString(), t.Retransmissions, t.Rcode)));
        Assert.All(sink.Dns, t => Assert.Equal(("www.google.com", (ushort)0x80d1), (t.Name, t.Id)));
    }

    [Fact]
    public void AnswersKeepTheCnameChainInOrder()
    {
        // Given: www.apple.com → CNAME chain → A (zeek pcapng-multi-interface frame 2).
        var sink = TranscriptReplay.Run("zeek__pcapng-multi-interface", "zeek__pcapng-multi-interface.pcapng");

        // Then
        var apple = sink.Dns.First(t => t.Name == "www.apple.com" && t.QueryType == DnsType.A);
        Assert.Equal(
            [DnsType.CNAME, DnsType.CNAME, DnsType.CNAME, DnsType.A],
            apple.Answers.Select(a => a.Type));
        for (var i = 1; i < apple.Answers.Count; i++)
        {
            Assert.Equal(apple.Answers[i - 1].Data, apple.Answers[i].Name);
        }
    }
}
