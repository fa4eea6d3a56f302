using KubeTriage.Capture.Flows;
using KubeTriage.Capture.Tests.Support;

namespace KubeTriage.Capture.Tests.Engine;

/// <summary>
/// The engine over the public captures of ../shared/testdata/pcaps (sources and licences in its SOURCES.md).
/// Counts are the ones SOURCES.md states, cross-checked with <c>tshark -q -z conv,tcp</c> when the expected
/// values were written; each capture also has a golden transcript under Expectations/PublicCaptures.
/// </summary>
public class PublicCaptureTests
{
    public static TheoryData<string> AllCaptures => new()
    {
        "chrissanders__dns-no-response.pcapng",
        "chrissanders__dns-servfail-branch.pcapng",
        "chrissanders__http-baseline.pcapng",
        "chrissanders__http-ipv4-ipv6.pcapng",
        "chrissanders__http-syn-no-answer.pcapng",
        "chrissanders__tcp-refused-client-retries.pcapng",
        "chrissanders__tcp-refused-rst.pcapng",
        "chrissanders__tcp-syn-no-answer-after-dns.pcapng",
        "chrissanders__tcp-zero-window.pcapng",
        "deepflow__dns-nxdomain-k8s-search.pcap",
        "deepflow__dns-over-tcp-multi.pcap",
        "deepflow__mysql-171-k8s.pcap",
        "deepflow__mysql-error-initdb.pcap",
        "deepflow__mysql-login-too-many-conns.pcap",
        "deepflow__mysql-prepared-stmt.pcap",
        "ndpi__sll-dns-tls-http-mobile.pcap",
        "suricata__sll2-http-large-segments.pcap",
        "zeek__dns-ipv6-fragmented.pcap",
        "zeek__http-qinq-vlan.pcap",
        "zeek__http-vlan.pcap",
        "zeek__mysql-auth-failures.pcap",
        "zeek__mysql-crud.pcap",
        "zeek__mysql-deprecate-eof.pcap",
        "zeek__mysql-tls-encrypted.pcap",
        "zeek__pcapng-multi-interface.pcapng",
        "zeek__tls-sni-google.pcap",
    };

    [SkippableTheory]
    [MemberData(nameof(AllCaptures))]
    public void TranscriptMatchesTheGoldenFile(string fileName)
    {
        // Given
        string? path = TestCaptures.Path(fileName);
        Skip.If(path is null, TestCaptures.SkipReason);
        var sink = new RecordingSink();

        // When
        var result = CaptureEngine.Run([path!], sink, NullProtocolRegistry.Instance);

        // Then
        Assert.True(result.Succeeded);
        Golden.Verify("PublicCaptures", Path.GetFileNameWithoutExtension(fileName), CaptureTranscript.Render(sink));
    }

    [SkippableTheory]
    // file, records (SOURCES.md "pkts"), TCP connections, established, no reply, refused, mid-stream, SYN attempts
    [InlineData("chrissanders__http-syn-no-answer.pcapng", 569, 16, 7, 9, 0, 0, 100)]   // 9 × up to 11 SYNs: 84 retries + 16 first SYNs
    [InlineData("chrissanders__http-baseline.pcapng", 956, 25, 25, 0, 0, 0, 25)]
    [InlineData("chrissanders__tcp-refused-rst.pcapng", 2, 1, 0, 0, 1, 0, 1)]
    [InlineData("chrissanders__tcp-refused-client-retries.pcapng", 8, 1, 0, 0, 1, 0, 3)]   // 3 SYNs, each answered by RST/ACK
    [InlineData("chrissanders__tcp-syn-no-answer-after-dns.pcapng", 5, 1, 0, 1, 0, 0, 3)]
    [InlineData("chrissanders__dns-servfail-branch.pcapng", 3, 1, 0, 1, 0, 0, 1)]
    [InlineData("chrissanders__tcp-zero-window.pcapng", 8, 1, 0, 0, 0, 1, 0)]
    [InlineData("deepflow__mysql-171-k8s.pcap", 1040, 6, 0, 0, 0, 6, 0)]               // pooled connections, all mid-stream
    [InlineData("deepflow__mysql-prepared-stmt.pcap", 100, 11, 0, 0, 0, 11, 0)]
    [InlineData("zeek__mysql-auth-failures.pcap", 174, 13, 13, 0, 0, 0, 13)]
    [InlineData("ndpi__sll-dns-tls-http-mobile.pcap", 347, 19, 11, 0, 0, 8, 12)]       // tshark: 19 conversations, 11 with a SYN
    [InlineData("suricata__sll2-http-large-segments.pcap", 159, 1, 1, 0, 0, 0, 1)]
    [InlineData("zeek__http-qinq-vlan.pcap", 14, 1, 1, 0, 0, 0, 1)]
    [InlineData("zeek__http-vlan.pcap", 14, 1, 1, 0, 0, 0, 1)]
    [InlineData("chrissanders__http-ipv4-ipv6.pcapng", 20, 2, 2, 0, 0, 0, 2)]
    public void ConnectionCountsMatchWhatTheSourcesState(string fileName, int records, int connections, int established, int noReply, int refused, int midStream, int synAttempts)
    {
        // Given
        string? path = TestCaptures.Path(fileName);
        Skip.If(path is null, TestCaptures.SkipReason);
        var sink = new RecordingSink();

        // When
        var result = CaptureEngine.Run([path!], sink, NullProtocolRegistry.Instance);

        // Then
        Assert.Equal(records, result.Files[0].Packets);
        Assert.Equal(connections, sink.Connections.Count);
        Assert.Equal(established, sink.Connections.Count(c => c.Outcome == TcpOutcome.Established));
        Assert.Equal(noReply, sink.Connections.Count(c => c.Outcome == TcpOutcome.NoReply));
        Assert.Equal(refused, sink.Connections.Count(c => c.Outcome == TcpOutcome.Refused));
        Assert.Equal(midStream, sink.Connections.Count(c => c.Outcome == TcpOutcome.MidStream));
        Assert.Equal(synAttempts, sink.Connections.Sum(c => c.SynAttempts));
        Assert.Empty(result.Files[0].Problems);
    }

    [SkippableFact]
    public void SynNoAnswerCaptureShowsNineConnectionsWithUpToElevenSyns()
    {
        // Given: SOURCES.md: 9 connections to 203.0.113.94:80 never get a SYN-ACK, up to 11 SYNs each over ~67 s, 84 SYN retransmissions
        string? path = TestCaptures.Path("chrissanders__http-syn-no-answer.pcapng");
        Skip.If(path is null, TestCaptures.SkipReason);
        var sink = new RecordingSink();

        // When
        _ = CaptureEngine.Run([path!], sink, NullProtocolRegistry.Instance);

        // Then
        var failed = sink.Connections.Where(c => c.Outcome == TcpOutcome.NoReply).ToList();
        Assert.Equal(9, failed.Count);
        Assert.All(failed, c => Assert.Equal("203.0.113.94:80", c.Server.ToString()));
        Assert.Equal(11, failed.Max(c => c.SynAttempts));
        Assert.Equal(84, failed.Sum(c => c.Retransmissions));
        Assert.InRange(failed.Max(c => c.SynTimesNs[^1] - c.SynTimesNs[0]) / 1e9, 60, 70);
    }

    [SkippableFact]
    public void ZeroWindowCaptureIsOneUnresolvedStallByTheDownloadingClient()
    {
        // Given: SOURCES.md: a mid-stream HTTP download stalled by 4 zero-window segments over 23.7 s; tshark shows the
        // client's 4 "TCP ZeroWindow" ACKs and the server's 3 window probes (zero-length, one below the next sequence,
        // which tshark calls keep-alives), none of them a retransmission
        string? path = TestCaptures.Path("chrissanders__tcp-zero-window.pcapng");
        Skip.If(path is null, TestCaptures.SkipReason);
        var sink = new RecordingSink();

        // When
        _ = CaptureEngine.Run([path!], sink, NullProtocolRegistry.Instance);

        // Then
        var connection = Assert.Single(sink.Connections);
        Assert.Equal("172.31.136.85:38760", connection.Client.ToString());
        var stalled = connection.ClientZeroWindow;
        Assert.Equal((4, 1, 3), (stalled.Segments, stalled.Stalls, stalled.Probes));
        Assert.Equal(2, stalled.LongestStallFrame);
        Assert.Equal(23_731_524_000, stalled.LongestStallNs);
        Assert.True(stalled.LongestStallUnresolved);
        Assert.Equal(default, connection.ServerZeroWindow);
        Assert.Equal(0, connection.Retransmissions);
    }

    [SkippableFact]
    public void TheEstablishedConnectionEndingInRstOfTheHttpCaptureWasResetAfterEverythingWasAnswered()
    {
        // Given: tshark, stream 7 (172.16.16.154:64867 > 72.21.91.8:80): the GET is answered by frame 219, the server
        // closes the idle connection with a FIN at frame 498 (15.8 s), the client's keep-alive probe 45 s later (frame 523:
        // no data, one below its next sequence) is answered by the RST of frame 524. Nothing was waiting: not a mid-request reset.
        string? path = TestCaptures.Path("chrissanders__http-syn-no-answer.pcapng");
        Skip.If(path is null, TestCaptures.SkipReason);
        var sink = new RecordingSink();

        // When
        _ = CaptureEngine.Run([path!], sink, NullProtocolRegistry.Instance);

        // Then
        var reset = Assert.Single(sink.Connections, c => c.FirstResetNs is not null);
        Assert.Equal(("172.16.16.154:64867", "72.21.91.8:80"), (reset.Client.ToString(), reset.Server.ToString()));
        Assert.Equal((524L, 498L), (reset.FirstResetFrame, reset.ServerFinFrame));
        Assert.True(reset.FirstResetByServer);
        Assert.True(reset.ServerClosedBeforeReset);
        Assert.False(reset.ResetWithRequestOutstanding);
        Assert.False(reset.ServerResetMidRequest);
    }

    [SkippableFact]
    public void TheMobileCapturesThreeResetsAreNoneOfThemAServerDroppingARequest()
    {
        // Given: tshark shows three connections ending in RST, none a mid-request reset by the server:
        // - stream 3, 10.24.82.188:34503 > 120.28.26.242:80: the capture's only packet of it is the server's RST/ACK (frame 45);
        //   no data either way, so nothing was waiting
        // - stream 11, 10.24.82.188:42332 > 210.103.240.15:443: the client closes (FIN, frame 210) without data in the capture,
        //   the server resets 13 s later (frames 298, 300): nothing was waiting
        // - stream 10, 10.24.82.188:58927 > 54.255.253.199:5223: the client's 45 bytes (frame 186) get no answer and the client
        //   itself resets 41 s later (frame 341): the pod's own reset, not the peer's
        string? path = TestCaptures.Path("ndpi__sll-dns-tls-http-mobile.pcap");
        Skip.If(path is null, TestCaptures.SkipReason);
        var sink = new RecordingSink();

        // When
        _ = CaptureEngine.Run([path!], sink, NullProtocolRegistry.Instance);

        // Then
        var resets = sink.Connections.Where(c => c.FirstResetNs is not null).OrderBy(c => c.FirstResetFrame)
            .Select(c => (c.Server.ToString(), c.FirstResetFrame, c.FirstResetByServer, c.ResetWithRequestOutstanding)).ToList();
        Assert.Equal(
        [
            ("120.28.26.242:80", 45L, true, false),
            ("210.103.240.15:443", 298L, true, false),
            ("54.255.253.199:5223", 341L, false, true),
        ], resets);
        Assert.DoesNotContain(sink.Connections, c => c.ServerResetMidRequest);
    }

    [SkippableFact]
    public void MultiInterfacePcapngKeepsBothInterfaceNames()
    {
        // Given
        string? path = TestCaptures.Path("zeek__pcapng-multi-interface.pcapng");
        Skip.If(path is null, TestCaptures.SkipReason);
        var sink = new RecordingSink();

        // When
        _ = CaptureEngine.Run([path!], sink, NullProtocolRegistry.Instance);

        // Then
        Assert.Equal(["eth0", @"\Device\NPF_{5AE6EDB4-EFF9-46B3-A3C2-EE50C688A9E6}"], sink.Interfaces.Select(i => i.Name));
        Assert.Equal(3, sink.UdpFlows.Count);
        Assert.Equal([0, 1], sink.Packets.Select(p => p.InterfaceId).Distinct().Order());
    }

    [SkippableFact]
    public void FragmentedIpv6AnswerReachesTheUdpDissectorWhole()
    {
        // Given: SOURCES.md: 3 queries, 2 answers (one in three IPv6 fragments), 1 unanswered
        string? path = TestCaptures.Path("zeek__dns-ipv6-fragmented.pcap");
        Skip.If(path is null, TestCaptures.SkipReason);
        var sink = new RecordingSink();
        var registry = new TestRegistry();

        // When
        _ = CaptureEngine.Run([path!], sink, registry);

        // Then
        Assert.Equal(8, sink.Packets.Count);
        Assert.Equal(5, registry.Udp.Datagrams.Count);
        Assert.Equal(2, registry.Udp.Datagrams.Count(d => d.StartsWith("[2607:f740:b::f93]:53", StringComparison.Ordinal)));
    }

    [SkippableFact]
    public void CookedV2InterfaceIsNamedByItsIndex()
    {
        // Given
        string? path = TestCaptures.Path("suricata__sll2-http-large-segments.pcap");
        Skip.If(path is null, TestCaptures.SkipReason);
        var sink = new RecordingSink();
        var registry = new TestRegistry();

        // When
        _ = CaptureEngine.Run([path!], sink, registry);

        // Then: one HTTP GET with a 2.6 MB reply, all of it delivered in order
        Assert.Equal("suricata__sll2-http-large-segments.pcap#if2", Assert.Single(sink.Interfaces).Name);
        var dissector = Assert.Single(registry.TcpDissectors);
        Assert.StartsWith("GET /", dissector.ClientBytes.ToString(), StringComparison.Ordinal);
        Assert.Equal(sink.Connections[0].BytesToClient, dissector.ServerBytes.Length);
        Assert.Equal(0, sink.Connections[0].Gaps);
    }
}
