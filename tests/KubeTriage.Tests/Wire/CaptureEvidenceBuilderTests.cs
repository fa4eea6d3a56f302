using KubeTriage.Capture.Flows;
using KubeTriage.Capture.Packets;
using KubeTriage.Capture.Primitives;
using KubeTriage.Capture.Protocols.MySql;
using KubeTriage.Wire;
using static KubeTriage.Tests.Wire.Synthetic;

namespace KubeTriage.Tests.Wire;

public class CaptureEvidenceBuilderTests
{
    private const string Pod = "198.18.1.20";
    private const string Db = "198.18.2.20";
    private const string Dns = "198.18.2.10";
    private const string Oss = "198.19.249.132";

    [Fact]
    public void ThePodIsInferredAsTheMostActiveClientAndTheReasonSaysWhy()
    {
        // Given
        var builder = new CaptureEvidenceBuilder();
        builder.OnTcpConnection(Connect(Pod, 40001, Db, 3306, TcpOutcome.Established, 0));
        builder.OnTcpConnection(Connect(Pod, 40002, Oss, 80, TcpOutcome.Established, 10));
        builder.OnTcpConnection(Connect(Db, 50000, "198.18.2.30", 22, TcpOutcome.Established, 20));
        builder.OnDns(Dns(Pod, Dns, "oss.example.com", 5, answers: Oss));

        // When
        var evidence = builder.Build();

        // Then
        Assert.Equal([Ip(Pod)], evidence.Pod.Ips);
        Assert.True(evidence.Pod.Inferred);
        Assert.Contains("opened 2 of 3 TCP connections", evidence.Pod.Reason);
        Assert.Contains("sent 1 of 1 DNS queries", evidence.Pod.Reason);
    }

    [Fact]
    public void GivenPodAddressesWinOverInference()
    {
        // Given
        var builder = new CaptureEvidenceBuilder(new CaptureEvidenceOptions { PodIps = [Ip(Db)] });
        builder.OnTcpConnection(Connect(Pod, 40001, Db, 3306, TcpOutcome.Established, 0));

        // When
        var evidence = builder.Build();

        // Then
        Assert.Equal([Ip(Db)], evidence.Pod.Ips);
        Assert.False(evidence.Pod.Inferred);
        Assert.Equal(Pod, Assert.Single(evidence.Peers).Ip.ToString());
    }

    [Fact]
    public void TheSameHostOverIpv4AndIpv6IsOnePod()
    {
        // Given
        var builder = new CaptureEvidenceBuilder();
        builder.OnTcpConnection(Connect("10.0.0.5", 40001, "10.0.0.80", 80, TcpOutcome.Established, 0));
        builder.OnTcpConnection(Connect("2001:db8::5", 40002, "2001:db8::80", 80, TcpOutcome.Established, 10));

        // When
        var evidence = builder.Build();

        // Then
        Assert.Equal(["10.0.0.5", "2001:db8::5"], evidence.Pod.Ips.Select(i => i.ToString()));
    }

    [Fact]
    public void PeersKnowTheNamesTheCaptureGaveThem()
    {
        // Given
        var builder = new CaptureEvidenceBuilder(new CaptureEvidenceOptions { PodIps = [Ip(Pod)] });
        builder.OnDns(Dns(Pod, Dns, "OSS.example.com.", 0, answers: Oss));
        builder.OnHttp(Http(Pod, Oss, "files.example.com:80", "/a", 10, 5));
        builder.OnTls(Tls(Pod, "198.18.4.10", "example-api.com", 20));

        // When
        var evidence = builder.Build();

        // Then
        Assert.Equal(["files.example.com", "oss.example.com"], evidence.Peer(Ip(Oss))!.Names);
        Assert.Equal(["example-api.com"], evidence.Peer(Ip("198.18.4.10"))!.Names);
        var answer = Assert.Single(evidence.DnsAnswers);
        Assert.Equal("oss.example.com", answer.Name);
        Assert.Equal([Oss], answer.Addresses);
    }

    [Fact]
    public void BusyTimeIsTheUnionOfThePodsWaitsOnAPeer()
    {
        // Given: two overlapping HTTP requests (0-4 s and 2-6 s) and one later (10-11 s)
        var builder = new CaptureEvidenceBuilder(new CaptureEvidenceOptions { PodIps = [Ip(Pod)] });
        builder.OnHttp(Http(Pod, Oss, "oss.example.com", "/a", 0, 4000));
        builder.OnHttp(Http(Pod, Oss, "oss.example.com", "/b", 2000, 4000));
        builder.OnHttp(Http(Pod, Oss, "oss.example.com", "/c", 10000, 1000));

        // When
        var peer = builder.Build().Peer(Ip(Oss))!;

        // Then
        Assert.Equal(Ms(7000), peer.BusyNs);
        Assert.Equal(3, peer.Waits);
        Assert.Equal(Ms(4000), peer.WaitMaxNs);
        Assert.Equal(3, peer.Transactions);
    }

    [Fact]
    public void ConnectsWithoutAnswerCountAsBusyButNotAsAnsweredWaiting()
    {
        // Given: 3 SYNs one second apart, nothing back
        var builder = new CaptureEvidenceBuilder(new CaptureEvidenceOptions { PodIps = [Ip(Pod)] });
        builder.OnTcpConnection(Connect(Pod, 40001, Db, 3306, TcpOutcome.NoReply, 0, syns: 3));

        // When
        var evidence = builder.Build();
        var peer = evidence.Peer(Ip(Db))!;

        // Then
        Assert.Equal(Ms(2000), peer.BusyNs);
        Assert.Equal(0, peer.AnsweredBusyNs);
        Assert.Equal(1, peer.FailedConnections);
        var group = Assert.Single(evidence.TcpGroups);
        Assert.Equal(1, group.NoReply);
        Assert.Equal(3, group.FailedSynAttempts);
        Assert.Single(evidence.FailedConnects);
    }

    [Fact]
    public void TurnsOnConnectionsNoDissectorReadCountUntilTheLastByteOfTheAnswer()
    {
        // Given: an opaque TLS connection: connect in 10 ms, a 1.5 s download, then a second request answered in 100 ms
        var builder = new CaptureEvidenceBuilder(new CaptureEvidenceOptions { PodIps = [Ip(Pod)] });
        Tcp(builder, Pod, 40001, Oss, 443, 0, TcpFlags.Syn);
        Tcp(builder, Oss, 443, Pod, 40001, 10, TcpFlags.Syn | TcpFlags.Ack);
        Turn(builder, Pod, 40001, Oss, 443, 10, 1510);
        Turn(builder, Pod, 40001, Oss, 443, 2000, 2100);
        builder.OnTcpConnection(Connect(Pod, 40001, Oss, 443, TcpOutcome.Established, 0, rttMs: 10, durationMs: 3000, protocol: "tls"));

        // When
        var peer = builder.Build().Peer(Ip(Oss))!;

        // Then: the connect, the download and the second answer
        Assert.Equal(Ms(10 + 1500 + 100), peer.BusyNs);
        Assert.Equal(3, peer.Waits);
        Assert.Equal(Ms(1500), peer.WaitMaxNs);
        Assert.Equal(["tcp", "tls"], peer.Protocols);
        Assert.Equal([(ushort)443], peer.Ports);
    }

    [Fact]
    public void TurnsAndTransactionsOfOneExchangeCountOnce()
    {
        // Given: one HTTP request seen both as the engine's turn and as the dissector's transaction
        var builder = new CaptureEvidenceBuilder(new CaptureEvidenceOptions { PodIps = [Ip(Pod)] });
        Tcp(builder, Pod, 51000, Oss, 80, 0, payload: 100);
        Tcp(builder, Oss, 80, Pod, 51000, 1000, payload: 1400);
        Tcp(builder, Oss, 80, Pod, 51000, 2000, payload: 1400);
        Turn(builder, Pod, 51000, Oss, 80, 0, 2000);
        builder.OnHttp(Http(Pod, Oss, "oss.example.com", "/a", 0, 2000));
        builder.OnTcpConnection(Connect(Pod, 51000, Oss, 80, TcpOutcome.MidStream, 0, durationMs: 2500, protocol: "http"));

        // When
        var peer = builder.Build().Peer(Ip(Oss))!;

        // Then
        Assert.Equal(Ms(2000), peer.BusyNs);
        Assert.Equal(1, peer.Waits);
    }

    [Fact]
    public void InterfacesCountPacketsFromAndToThePod()
    {
        // Given: eth0 carries the pod's SYNs without replies, eth1 carries replies and another pod-subnet address
        var builder = new CaptureEvidenceBuilder(new CaptureEvidenceOptions { PodIps = [Ip(Pod)] });
        Start(builder, "eth0.pcap", "eth1");
        Packets(builder, 0, Pod, Db, 5);
        Packets(builder, 0, "198.18.0.10", "198.18.0.1", 2);
        Packets(builder, 1, Pod, Dns, 3, protocol: IpProtocol.Udp);
        Packets(builder, 1, Dns, Pod, 3, protocol: IpProtocol.Udp);
        Packets(builder, 1, "198.18.1.10", "198.18.1.1", 4, protocol: IpProtocol.Icmp);

        // When
        var evidence = builder.Build();

        // Then
        var eth0 = evidence.Interfaces.Single(i => i.Name == "eth0");
        Assert.Equal((7, 5, 5, 0, 0), (eth0.Packets, eth0.PodPackets, eth0.FromPodPackets, eth0.ToPodPackets, eth0.PodSubnetPackets));
        var eth1 = evidence.Interfaces.Single(i => i.Name == "eth1");
        Assert.Equal((10, 6, 3, 3, 4), (eth1.Packets, eth1.PodPackets, eth1.FromPodPackets, eth1.ToPodPackets, eth1.PodSubnetPackets));
        Assert.Equal(["udp"], evidence.Peer(Ip(Dns))!.Protocols);
        Assert.Equal(6, evidence.Peer(Ip(Dns))!.Packets);
    }

    [Fact]
    public void SlowStatementsAreCountedPerShapeAndServer()
    {
        // Given: 13 calls of 4 s and 2 fast ones
        var builder = new CaptureEvidenceBuilder(new CaptureEvidenceOptions { PodIps = [Ip(Pod)], SlowQueryMs = 1000 });
        for (var i = 0; i < 13; i++)
        {
            builder.OnMySql(Query(Pod, Db, $"SELECT * FROM orders WHERE id = {i}", i * 4100, 4000, frame: 10 + i));
        }

        builder.OnMySql(Query(Pod, Db, "SELECT 1", 60000, 1));
        builder.OnMySql(Query(Pod, Db, "SELECT 1", 60010, 1));

        // When
        var evidence = builder.Build();

        // Then
        var slow = evidence.MySqlStatements[0];
        Assert.Equal("SELECT * FROM orders WHERE id = ?", slow.Shape);
        Assert.Equal((13, 13, Ms(52000), Ms(4000)), (slow.Count, slow.SlowCount, slow.SlowTotalNs, slow.SlowMaxNs));
        Assert.Equal(3, slow.SlowExamples.Count);
        var fast = evidence.MySqlStatements[1];
        Assert.Equal((2, 0), (fast.Count, fast.SlowCount));
    }

    [Fact]
    public void ErrorsAreCountedPerServerAndCode()
    {
        // Given
        var builder = new CaptureEvidenceBuilder();
        builder.OnMySql(Query(Pod, Db, "abcd", 0, 1, MySqlOutcome.Error, 1049, "Unknown database 'abcd'", "COM_INIT_DB", frame: 15));
        builder.OnMySql(Query(Pod, Db, "abcd", 10, 1, MySqlOutcome.Error, 1049, "Unknown database 'abcd'", "COM_INIT_DB", frame: 17));

        // When
        var error = Assert.Single(builder.Build().MySqlErrors);

        // Then
        Assert.Equal((1049, 2L, 15L), (error.Code, error.Count, error.FirstFrame));
        Assert.Equal(["COM_INIT_DB"], error.Commands);
        Assert.False(error.DuringLogin);
    }

    [Fact]
    public void PastTheLimitFailuresAndTheSlowestAreKeptAndAllAreCounted()
    {
        // Given: 50 answered queries with growing latency and 5 unanswered, with room for 10 and the 3 slowest
        var builder = new CaptureEvidenceBuilder(new CaptureEvidenceOptions { PodIps = [Ip(Pod)], KeepAll = 10, KeepSlowest = 3 });
        for (var i = 0; i < 50; i++)
        {
            builder.OnDns(Dns(Pod, Dns, $"n{i}.example.com", i * 10, latencyMs: i + 1, answers: "198.18.4.10"));
        }

        for (var i = 0; i < 5; i++)
        {
            builder.OnDns(Dns(Pod, Dns, "lost.example.com", 1000 + i, rcode: null));
        }

        // When
        var evidence = builder.Build();

        // Then
        Assert.Equal(new RetentionCount(55, 8), evidence.Retention["dns"]);
        Assert.Equal(5, evidence.Dns.Count(t => t.ResponseTimeNs is null));
        Assert.Equal(["n47.example.com", "n48.example.com", "n49.example.com"], evidence.Dns.Where(t => t.ResponseTimeNs is not null).Select(t => t.Name));
        Assert.Equal(55, evidence.DnsGroups.Sum(g => g.Count));
    }

    [Fact]
    public void HttpErrorStatusesAreCountedOverEveryResponseNotOnlyTheKeptOnes()
    {
        // Given: 300 answered requests (every 10th a 503, every 50th a 404) and 20 unanswered, with room for 10 records,
        // 5 failures and the 3 slowest; the records reach the builder latest first, as connections end
        var builder = new CaptureEvidenceBuilder(new CaptureEvidenceOptions { PodIps = [Ip(Pod)], KeepAll = 10, KeepFailures = 5, KeepSlowest = 3 });
        for (var i = 299; i >= 0; i--)
        {
            var status = i % 10 == 0 ? 503 : i % 50 == 1 ? 404 : 200;
            builder.OnHttp(Http(Pod, Oss, "OSS.example.com", $"/o/{i}", i * 10, 4, status, frame: (i * 4) + 1));
        }

        for (var i = 0; i < 20; i++)
        {
            builder.OnHttp(HttpUnanswered(Pod, Oss, "oss.example.com", "/lost", 5000 + i));
        }

        // When
        var evidence = builder.Build();

        // Then: the kept records are a handful, the groups count all 300 responses
        Assert.Equal(new RetentionCount(320, 8), evidence.Retention["http"]);
        var unavailable = evidence.HttpErrors.Single(g => g.Status == 503);
        Assert.Equal((30L, 300L), (unavailable.Count, unavailable.Responses));
        Assert.Equal("OSS.example.com", unavailable.Host);
        Assert.Equal((At(0), At(2900)), (unavailable.FirstTimeNs, unavailable.LastTimeNs));
        Assert.Equal(["/o/0", "/o/10", "/o/20"], unavailable.Examples.Select(t => t.Path));
        Assert.Equal([1L, 41L, 81L], unavailable.Examples.Select(t => t.RequestFrame));
        var notFound = evidence.HttpErrors.Single(g => g.Status == 404);
        Assert.Equal((6L, 300L), (notFound.Count, notFound.Responses));
        Assert.Equal(2, evidence.HttpErrors.Count);
    }

    [Fact]
    public void HttpGroupsPastTheLimitAreDroppedAndCounted()
    {
        // Given: room for 4 groups; each server takes one for its responses and one per error status
        var builder = new CaptureEvidenceBuilder(new CaptureEvidenceOptions { PodIps = [Ip(Pod)], MaxGroups = 4 });
        builder.OnHttp(Http(Pod, Oss, "a.example", "/", 0, 2, 503));
        builder.OnHttp(Http(Pod, Oss, "a.example", "/", 10, 2, 500));
        builder.OnHttp(Http(Pod, Oss, "b.example", "/", 20, 2, 200));
        builder.OnHttp(Http(Pod, Oss, "b.example", "/", 30, 2, 502));
        builder.OnHttp(Http(Pod, Oss, "c.example", "/", 40, 2, 503));
        builder.OnHttp(Http(Pod, Oss, "a.example", "/", 50, 2, 503));

        // When
        var evidence = builder.Build();

        // Then: b's 502 and all of c did not fit; a's known 503 is still counted
        Assert.Equal([("a.example", 500), ("a.example", 503)], evidence.HttpErrors.Select(g => (g.Host, g.Status)));
        Assert.Equal(2, evidence.HttpErrors.Single(g => g.Status == 503).Count);
        Assert.Equal(new RetentionCount(6, 4), evidence.Retention["groups"]);
    }

    [Fact]
    public void DnsWaitsAreCountedOverEveryAnswerNotOnlyTheKeptOnes()
    {
        // Given: 300 answered queries of 2 to 4 ms, every 30th re-sent after 5 s (AAAA, sent with its A twin), and 20
        // unanswered, with room for 10 records, 5 failures and the 3 slowest; answers reach the builder latest first
        var builder = new CaptureEvidenceBuilder(new CaptureEvidenceOptions { PodIps = [Ip(Pod)], KeepAll = 10, KeepFailures = 5, KeepSlowest = 3 });
        for (var i = 299; i >= 0; i--)
        {
            builder.OnDns(i % 30 == 0
                ? DnsResent(Pod, Dns, $"n{i}.example.com", i * 100, afterResendMs: 1, type: 28, frame: (i * 4) + 1, twin: true)
                : Dns(Pod, Dns, $"n{i}.example.com", i * 100, latencyMs: 2 + (i % 3), frame: (i * 4) + 1));
        }

        for (var i = 0; i < 20; i++)
        {
            builder.OnDns(Dns(Pod, Dns, "lost.example.com", 40_000 + i, rcode: null));
        }

        // When
        var evidence = builder.Build();

        // Then: the kept records are a handful, the group counts all 300 answers
        Assert.Equal(new RetentionCount(320, 8), evidence.Retention["dns"]);
        var latency = Assert.Single(evidence.DnsLatency);
        Assert.Equal((300L, 10L, 10L, 10L, 10L, 10L, 0L), (latency.Answered, latency.Resent, latency.Late, latency.LateResent, latency.LateTwins, latency.LateAaaa, latency.LateA));
        Assert.Equal((10L, 0L, 0L), (latency.LateAnsweredAfterResend, latency.LateReasked, latency.LateEarlierQueries));
        Assert.Equal((Ms(5000), Ms(5000), Ms(1)), (latency.ResendIntervalMinNs, latency.ResendIntervalMaxNs, latency.AfterResendMaxNs));
        Assert.Equal((Ms(5001), Ms(5001)), (latency.MaxNs, latency.LateMinNs));
        Assert.InRange(latency.MedianNs, Ms(3) * 0.95, Ms(3) * 1.05);
        Assert.InRange(latency.P99Ns, Ms(5001) * 0.95, Ms(5001));
        Assert.Equal((At(0), At(27000)), (latency.FirstLateNs, latency.LastLateNs));
        Assert.Equal(["n0.example.com", "n30.example.com", "n60.example.com"], latency.Examples.Select(t => t.Name));
        Assert.Equal(Ms(1000), evidence.SlowDnsNs);
    }

    [Fact]
    public void AQuestionReAskedFromANewPortWaitsFromItsFirstSend()
    {
        // Given: the first query unanswered, the question asked again from a new port 5 s later and answered in 1 ms
        var builder = new CaptureEvidenceBuilder(new CaptureEvidenceOptions { PodIps = [Ip(Pod)] });
        var (answered, unanswered) = DnsReasked(Pod, Dns, "oss.example.com", 0);
        builder.OnDns(answered);
        builder.OnDns(unanswered);

        // When
        var evidence = builder.Build();

        // Then
        var latency = Assert.Single(evidence.DnsLatency);
        Assert.Equal((1L, 1L, 1L, 1L, 1L), (latency.Answered, latency.Late, latency.LateReasked, latency.LateEarlierQueries, latency.LateAnsweredAfterResend));
        Assert.Equal(Ms(5001), latency.MaxNs);
        Assert.Equal(1, evidence.DnsGroups.Single(g => !g.Answered).Count);
    }

    [Fact]
    public void DnsLatencyGroupsPastTheLimitAreDroppedAndCounted()
    {
        // Given: room for 2 groups of each kind; a latency group per server
        var builder = new CaptureEvidenceBuilder(new CaptureEvidenceOptions { PodIps = [Ip(Pod)], MaxGroups = 2 });
        builder.OnDns(Dns(Pod, Dns, "a.example", 0));
        builder.OnDns(Dns(Pod, "198.18.2.11", "a.example", 10));
        builder.OnDns(Dns(Pod, "198.18.2.12", "a.example", 20));
        builder.OnDns(Dns(Pod, Dns, "a.example", 30, latencyMs: 3000));

        // When
        var evidence = builder.Build();

        // Then: the first two servers fit; the known server's late answer is still counted
        Assert.Equal([Ip(Dns), Ip("198.18.2.11")], evidence.DnsLatency.Select(l => l.Server));
        Assert.Equal((2L, 1L), (evidence.DnsLatency[0].Answered, evidence.DnsLatency[0].Late));
    }

    [Fact]
    public void UnansweredQueriesInTheCapturesLastSecondAreMarked()
    {
        // Given
        var builder = new CaptureEvidenceBuilder(new CaptureEvidenceOptions { PodIps = [Ip(Pod)] });
        Start(builder, "eth0");
        Packets(builder, 0, Pod, Dns, 1, atMs: 0);
        Packets(builder, 0, Pod, Dns, 1, atMs: 10_000);
        builder.OnDns(Dns(Pod, Dns, "late.example.com", 9_500, rcode: null));
        builder.OnDns(Dns(Pod, Dns, "early.example.com", 1_000, rcode: null));

        // When
        var groups = builder.Build().DnsGroups;

        // Then
        Assert.Equal(0, groups.Single(g => g.Name == "early.example.com").AtCaptureEnd);
        Assert.Equal(1, groups.Single(g => g.Name == "late.example.com").AtCaptureEnd);
    }

    [Fact]
    public void CountingAPacketOfAKnownConnectionDoesNotAllocate()
    {
        // Given: a connection whose packets carry data both ways, so every packet also moves its turn
        var builder = new CaptureEvidenceBuilder();
        var request = new PacketMeta
        {
            TimeNs = T0, InterfaceId = 0, Source = Ip(Pod), Destination = Ip(Db), SourcePort = 40001, DestinationPort = 3306,
            Protocol = IpProtocol.Tcp, TcpFlags = TcpFlags.Ack | TcpFlags.Psh, IpLength = 160, PayloadLength = 100,
        };
        var answer = new PacketMeta
        {
            TimeNs = T0 + 1, InterfaceId = 0, Source = Ip(Db), Destination = Ip(Pod), SourcePort = 3306, DestinationPort = 40001,
            Protocol = IpProtocol.Tcp, TcpFlags = TcpFlags.Ack | TcpFlags.Psh, IpLength = 160, PayloadLength = 100,
        };
        var icmp = new PacketMeta
        {
            TimeNs = T0 + 2, InterfaceId = 0, Source = Ip(Db), Destination = Ip(Pod), Protocol = IpProtocol.Icmp, IcmpType = 3, IcmpCode = 3,
            EmbeddedProtocol = IpProtocol.Udp, EmbeddedSource = Ep(Pod, 40000), EmbeddedDestination = Ep(Db, 53), IpLength = 60,
        };
        builder.OnPacket(in request);
        builder.OnPacket(in answer);
        builder.OnPacket(in request);
        builder.OnPacket(in icmp);
        _ = CountPackets(builder, request, answer, icmp);

        // When
        var allocated = CountPackets(builder, request, answer, icmp);

        // Then
        Assert.Equal(0, allocated);
    }

    /// <summary>
    /// Bytes allocated by 300,000 packet calls. Compiled optimized from the start: a loop that the runtime replaces
    /// while it runs (on-stack replacement) would count the runtime's own bookkeeping as this thread's allocation.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static long CountPackets(CaptureEvidenceBuilder builder, PacketMeta request, PacketMeta answer, PacketMeta icmp)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100_000; i++)
        {
            builder.OnPacket(in request);
            builder.OnPacket(in answer);
            builder.OnPacket(in icmp);
        }

        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    [Fact]
    public void TransactionsAndConnectionsOfKnownGroupsDoNotAllocate()
    {
        // Given: a statement seen with other values, a name answered before, a connection to a known server
        var builder = new CaptureEvidenceBuilder(new CaptureEvidenceOptions { KeepAll = 10, KeepFailures = 10, KeepSlowest = 10 });
        var queries = Enumerable.Range(0, 4).Select(i => Query(Pod, Db, $"SELECT * FROM t WHERE id = {i}", 10, 2)).ToList();
        var dns = Dns(Pod, Dns, "oss.example.com", 0, answers: [Oss, "198.18.3.2"]);
        var connection = Connect(Pod, 40001, Db, 3306, TcpOutcome.Established, 0, protocol: "mysql");
        for (var i = 0; i < 5000; i++)
        {
            builder.OnMySql(queries[i % queries.Count]);
            builder.OnDns(dns);
            builder.OnTcpConnection(connection);
        }

        // When
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            builder.OnMySql(queries[i % queries.Count]);
            builder.OnDns(dns);
            builder.OnTcpConnection(connection);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Then
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void TheSameAnswerInAnotherOrderIsOneGroupThatCitesTheEarliest()
    {
        // Given
        var builder = new CaptureEvidenceBuilder(new CaptureEvidenceOptions { PodIps = [Ip(Pod)] });
        builder.OnDns(Dns(Pod, Dns, "oss.example.com", 50, frame: 7, answers: [Oss, "198.18.3.2"]));
        builder.OnDns(Dns("198.18.1.21", Dns, "oss.example.com", 10, frame: 3, answers: ["198.18.3.2", Oss]));
        builder.OnDns(Dns(Pod, Dns, "oss.example.com", 90, frame: 9, answers: [Oss, "198.18.3.2"]));

        // When
        var answer = Assert.Single(builder.Build().DnsAnswers);

        // Then
        Assert.Equal(["198.18.3.2", Oss], answer.Addresses);
        Assert.Equal(3, answer.Count);
        Assert.Equal(At(12), answer.FirstTimeNs);
        Assert.Equal(3, answer.FirstQueryFrame);
        Assert.Equal(Ip("198.18.1.21"), answer.Client);
    }

    [Fact]
    public void ZeroWindowsAreCountedPerClientServerAndSideKeepingTheLongestStalls()
    {
        // Given: five connections on which the pod stalled the database, one on which the database stalled the pod,
        // and one without a zero window
        var builder = new CaptureEvidenceBuilder();
        double[] stalls = [300, 50, 900, 120, 700];
        for (var i = 0; i < stalls.Length; i++)
        {
            builder.OnTcpConnection(Connect(Pod, (ushort)(40001 + i), Db, 3306, TcpOutcome.Established, i * 1000, durationMs: 1000)
                with { ClientZeroWindow = ZeroWindow(i * 1000 + 10, stalls[i], frame: 10 + i, probes: 1, unresolved: i == 4) });
        }

        builder.OnTcpConnection(Connect(Pod, 40010, Db, 3306, TcpOutcome.Established, 9000)
            with { ServerZeroWindow = ZeroWindow(9010, 250, frame: 90) });
        builder.OnTcpConnection(Connect(Pod, 40011, Db, 3306, TcpOutcome.Established, 9500));

        // When
        var evidence = builder.Build();

        // Then
        Assert.Equal(2, evidence.TcpZeroWindows.Count);
        var pod = evidence.TcpZeroWindows[0];
        Assert.False(pod.ReceiverIsServer);
        Assert.Equal((Ip(Pod), Ip(Db)), (pod.Receiver, pod.Sender));
        Assert.Equal((5, 10, 5, 5), (pod.Connections, pod.Segments, pod.Stalls, pod.Probes));
        Assert.Equal(Ms(2070), pod.StalledNs);
        Assert.Equal((Ms(900), At(2010), 12L), (pod.LongestStallNs, pod.LongestStallStartNs, pod.LongestStallFrame));
        Assert.Equal(40003, pod.LongestConnection.Client.Port);
        Assert.Equal([40003, 40005, 40001], pod.Examples.Select(c => (int)c.Client.Port));
        Assert.Equal(1, pod.UnresolvedConnections);
        Assert.False(pod.LongestStallUnresolved);
        var db = evidence.TcpZeroWindows[1];
        Assert.True(db.ReceiverIsServer);
        Assert.Equal((1, Ms(250), 90L), (db.Connections, db.LongestStallNs, db.LongestStallFrame));
        Assert.Equal(new RetentionCount(3, 3), evidence.Retention["groups"]);
    }

    [Fact]
    public void ZeroWindowGroupsStopAtTheGroupLimitAndCountTheRestAsDropped()
    {
        // Given: a limit of 2 groups, taken by the TCP connect groups and then by the zero windows
        var builder = new CaptureEvidenceBuilder(new CaptureEvidenceOptions { MaxGroups = 2 });
        for (var i = 0; i < 4; i++)
        {
            builder.OnTcpConnection(Connect(Pod, 40001, $"198.18.2.{20 + i}", 3306, TcpOutcome.Established, i * 100)
                with { ClientZeroWindow = ZeroWindow(i * 100, 300) });
        }

        // When
        var evidence = builder.Build();

        // Then
        Assert.Equal(2, evidence.TcpZeroWindows.Count);
        Assert.Equal(new RetentionCount(8, 4), evidence.Retention["groups"]);
    }

    [Fact]
    public void TcpSummaryCountsConnectionsByOutcome()
    {
        // Given
        var builder = new CaptureEvidenceBuilder();
        builder.OnTcpConnection(Connect(Pod, 40001, Db, 3306, TcpOutcome.Established, 0));
        builder.OnTcpConnection(Connect(Pod, 40002, Db, 3306, TcpOutcome.Established, 10));
        builder.OnTcpConnection(Connect(Pod, 40003, Oss, 80, TcpOutcome.NoReply, 20, syns: 3));
        builder.OnTcpConnection(Connect(Pod, 40004, Oss, 81, TcpOutcome.Refused, 30));

        // When
        var tcp = builder.Build().Tcp;

        // Then
        Assert.Equal(new TcpSummary { Connections = 4, Established = 2, NoReply = 1, Refused = 1, Retransmissions = 0, Resets = 1 }, tcp);
    }

    [Fact]
    public void FileProblemsAndTimesAreKept()
    {
        // Given
        var builder = new CaptureEvidenceBuilder();
        Start(builder, "eth0");
        End(builder, 10, 0, 2500, "truncated record at byte 4242");

        // When
        var evidence = builder.Build();

        // Then
        var file = Assert.Single(evidence.Files);
        Assert.Equal(["truncated record at byte 4242"], file.Problems);
        Assert.Equal(2.5, evidence.WindowSeconds);
        Assert.Same(PodAddresses.None, evidence.Pod);
    }

    [Fact]
    public void DiagnosticsAreCountedPerReasonAndTheFirstOnesKept()
    {
        // Given
        var builder = new CaptureEvidenceBuilder(new CaptureEvidenceOptions { DiagnosticsPerReason = 2 });
        for (var i = 0; i < 5; i++)
        {
            builder.OnDiagnostic(new WireDiagnostic(WireError.FlowGap, Synthetic.File, i, "a > b", 0, "", "gap"));
        }

        // When
        var evidence = builder.Build();

        // Then
        Assert.Equal(5, evidence.DiagnosticCounts[WireError.FlowGap]);
        Assert.Equal(2, evidence.Diagnostics.Count);
    }
}
