namespace KubeTriage.Cli.Tests.Capture;

/// <summary>
/// <c>capture</c> end to end over the lab's recordings (<c>tests/testdata/pcap/lab</c>, real MariaDB, DNS
/// and HTTP traffic recorded on every interface of the lab node; see the README there), with the lab's
/// expectations file. Each case is read twice: as the per-interface files and as the one <c>any</c> file.
/// </summary>
public class LabRecordingTests
{
    private const string Expect = "tests/lab/expect.yaml";

    public static TheoryData<string> Layouts => ["files", "any"];

    [SkippableTheory]
    [MemberData(nameof(Layouts))]
    public void TheFullIncidentRaisesEveryWireFault(string layout)
    {
        // Given: cluster DNS down, table 2 empty, business_query() at 2 s, oss.example.com answered with the public path
        var files = Recording("incident", layout);

        // When
        var report = CaptureReportReader.Run(["capture", .. files, "--expect", ExpectFile()]);

        // Then: twists 1 and 2 (no DNS answers, SYNs to the database without answer) and the wrong DNS answer of twist 4
        Assert.Equal(1, report.ExitCode);
        Assert.Equal("critical", report.Single("tcp.connect-no-reply", "198.18.2.20:3306").Severity);
        Assert.Contains(report.Findings, f => f.Id == "dns.no-response" && f.Subject == "DNS server 198.18.2.10");
        Assert.Equal("warning", report.Single("dns.unexpected-answer", "oss.example.com").Severity);
        Assert.DoesNotContain(report.Findings, f => f.Id == "dependency.undeclared");

        // Then: twist 3 (13 calls of 2 s) and, with it set aside, the object store on the public path (twist 4)
        report.SkipUnlessMySqlCallsWereRead("business_query", 13);
        var slow = report.Single("mysql.slow-query", "198.18.2.20:3306");
        Assert.StartsWith("13 queries × ~2.0", slow.Title);
        var dependency = report.Single("dependency.slow", "198.19.249.132");
        Assert.Equal(["dns.unexpected-answer", "tcp.retransmissions"], dependency.CausedBy);

        // Then: the public path is the shaped one: its queue drops, and the object store sends data again
        var loss = report.Single("tcp.retransmissions", "198.19.249.132:80");
        Assert.Equal("warning", loss.Severity);
        Assert.Equal(["dns.unexpected-answer"], loss.CausedBy);
    }

    [SkippableFact]
    public void TheIncidentsSynsOnTheNodeSubnetNicAreCausedByIt()
    {
        // Given: the per-interface files show the pod's SYNs on eth0 and the pod's later traffic on eth1
        var files = Recording("incident", "files");

        // When
        var report = CaptureReportReader.Run(["capture", .. files, "--expect", ExpectFile()]);

        // Then
        Assert.Equal("critical", report.Single("node.pod-egress-wrong-interface", "pod 198.18.1.20 via eth0").Severity);
        Assert.Equal(["node.pod-egress-wrong-interface"], report.Single("tcp.connect-no-reply", "198.18.2.20:3306").CausedBy);
    }

    [SkippableTheory]
    [MemberData(nameof(Layouts))]
    public void TheHealthyRecordingRaisesNoWarning(string layout)
    {
        // Given
        var files = Recording("healthy", layout);

        // When
        var report = CaptureReportReader.Run(["capture", .. files, "--expect", ExpectFile()]);

        // Then
        Assert.Empty(report.Serious);
        Assert.Equal(0, report.ExitCode);
    }

    [SkippableTheory]
    [InlineData("healthy")]
    [InlineData("incident")]
    [InlineData("slow-db")]
    [InlineData("route")]
    [InlineData("nic")]
    [InlineData("cluster-dns")]
    [InlineData("wrong-dns")]
    public void NoRecordingHasAServerResettingARequest(string fault)
    {
        // Given: every lab recording; their connections close with FIN, or fail before they carry a request
        var files = Recording(fault, "files");

        // When
        var report = CaptureReportReader.Run(["capture", .. files, "--expect", ExpectFile()]);

        // Then
        Assert.DoesNotContain(report.Findings, f => f.Id == "tcp.reset-by-peer");
    }

    [SkippableTheory]
    [InlineData("route", "critical tcp.connect-no-reply 198.18.2.20:3306")]
    [InlineData("nic", "critical tcp.connect-no-reply 198.18.2.20:3306")]
    [InlineData("cluster-dns", "critical dns.no-response DNS server 198.18.2.10")]
    [InlineData("wrong-dns", "warning dns.unexpected-answer oss.example.com")]
    public void EachFaultRaisesItsFinding(string fault, string expected)
    {
        // Given
        var files = Recording(fault, "files");

        // When
        var report = CaptureReportReader.Run(["capture", .. files, "--expect", ExpectFile()]);

        // Then
        Assert.Equal(1, report.ExitCode);
        Assert.Contains(expected, report.Serious);
    }

    [SkippableFact]
    public void ASlowDatabaseIsThirteenSlowQueries()
    {
        // Given: business_query() takes 1.5 s
        var files = Recording("slow-db", "files");

        // When
        var report = CaptureReportReader.Run(["capture", .. files, "--expect", ExpectFile()]);

        // Then: the pod's time goes to the database either way
        Assert.Equal(1, report.ExitCode);
        Assert.Contains(report.Findings, f => f.Subject.StartsWith("198.18.2.20", StringComparison.Ordinal) && f.Severity == "warning");
        report.SkipUnlessMySqlCallsWereRead("business_query", 13);
        Assert.StartsWith("13 queries × ~1.5", report.Single("mysql.slow-query", "198.18.2.20:3306 CALL business_query()").Title);
    }

    [SkippableFact]
    public void WithoutTheEth1CaptureTheNodesAddressesStillShowTheWrongNic()
    {
        // Given: only eth0 and the pod's veth were captured, and the node's ip -j addr says eth1 holds the pod subnet
        var dir = Path.GetDirectoryName(TestFiles.LabRecording(Path.Combine("incident", "any.pcap")))!;
        var addr = Path.Combine(TestFiles.RepoRoot(), "tests", "testdata", "node", "lab-healthy", "ip-addr.json");

        // When
        var report = CaptureReportReader.Run(
            "capture", Path.Combine(dir, "eth0.pcap"), Path.Combine(dir, "enie3be3ad2cb5.pcap"), "--ip-link", addr, "--expect", ExpectFile());
        var without = CaptureReportReader.Run("capture", Path.Combine(dir, "eth0.pcap"), Path.Combine(dir, "enie3be3ad2cb5.pcap"), "--expect", ExpectFile());

        // Then
        Assert.Equal("critical", report.Single("node.pod-egress-wrong-interface", "pod 198.18.1.20 via eth0").Severity);
        Assert.Equal(["node.pod-egress-wrong-interface"], report.Single("tcp.connect-no-reply", "198.18.2.20:3306").CausedBy);
        Assert.DoesNotContain(without.Findings, f => f.Id == "node.pod-egress-wrong-interface");
    }

    [SkippableFact]
    public void TheIncidentReportMatchesTheGoldenFile()
    {
        // Given
        var files = Recording("incident", "files");

        // When
        var text = CliRunner.Run(["capture", .. files, "--expect", ExpectFile()]);
        var json = CaptureReportReader.Run(["capture", .. files, "--expect", ExpectFile()]);

        // Then
        json.SkipUnlessMySqlCallsWereRead("business_query", 13);
        TestFiles.VerifyGolden(text.Output, "lab-incident.Text.verified.txt");
    }

    private static string ExpectFile() => Path.Combine(TestFiles.RepoRoot(), Expect);

    [SkippableFact]
    public void TheHttp2RecordingGivesGrpcStatusesInTheReport()
    {
        // Given: tests/testdata/pcap/h2c/grpc-h2c.pcap (gRPC over HTTP/2 in clear text, and curl's prior-knowledge requests)
        var pcap = Path.Combine(TestFiles.RepoRoot(), "tests", "testdata", "pcap", "h2c", "grpc-h2c.pcap");
        Skip.IfNot(File.Exists(pcap), "the HTTP/2 recording is not in tests/testdata/pcap/h2c");

        // When
        var report = CaptureReportReader.Run(["capture", pcap, "--pod-ip", "198.19.226.2", "--format", "json"]);

        // Then: the failed calls and the 503 are findings, and each stream is an http entry with its gRPC status
        Assert.Equal(1, report.ExitCode);
        Assert.Equal("warning", report.Single("grpc.error-status", "198.19.226.3:50051 (orders.shop.svc.cluster.local:50051)").Severity);
        Assert.Equal("warning", report.Single("http.error-status", "198.19.226.3:50051").Severity);
        using var json = System.Text.Json.JsonDocument.Parse(report.Json);
        var http = json.RootElement.GetProperty("capture").GetProperty("http").EnumerateArray().ToList();
        Assert.Equal(10, http.Count);
        Assert.All(http, h => Assert.Equal("HTTP/2", h.GetProperty("version").GetString()));
        var statuses = http.Where(h => h.TryGetProperty("grpcStatus", out _)).Select(h => h.GetProperty("grpcStatus").GetInt32()).Order().ToList();
        Assert.Equal([0, 0, 0, 12, 14, 14], statuses);
        var resets = http.Where(h => h.TryGetProperty("resetCode", out _))
            .Select(h => (h.GetProperty("resetCode").GetUInt32(), h.GetProperty("resetBy").GetString(), h.GetProperty("path").GetString())).Order().ToList();
        Assert.Equal([(7u, "server", "/shop.Orders/Gone"), (8u, "client", "/shop.Orders/Slow")], resets);
        Assert.Contains(http, h => h.TryGetProperty("grpcMessage", out var m) && m.GetString() == "no healthy upstream");

        // Then: the call cancelled at its 0.5 s deadline is time the pod spent waiting on the server
        var peer = Assert.Single(json.RootElement.GetProperty("capture").GetProperty("peers").EnumerateArray());
        Assert.InRange(peer.GetProperty("busySeconds").GetDouble(), 0.45, 1.0);
    }

    [SkippableFact]
    public void ALateJoinedGrpcConnectionStillShowsTheCallCancelledAtItsDeadline()
    {
        // Given: tests/testdata/pcap/h2c/grpc-h2c-late.pcap (no handshake, no preface, HPACK tables filled before)
        var pcap = Path.Combine(TestFiles.RepoRoot(), "tests", "testdata", "pcap", "h2c", "grpc-h2c-late.pcap");
        Skip.IfNot(File.Exists(pcap), "the HTTP/2 recording is not in tests/testdata/pcap/h2c");

        // When
        var report = CaptureReportReader.Run(["capture", pcap, "--format", "json"]);

        // Then: the four calls are read as gRPC, the cancelled one is a failure, the unreadable statuses are said
        Assert.Equal(1, report.ExitCode);
        var failed = report.Single("grpc.error-status", "198.19.226.3:50051");
        Assert.Equal("warning", failed.Severity);
        Assert.Equal("gRPC calls to 198.19.226.3:50051 failed: cancelled by the client unanswered (1 of 4)", failed.Title);
        using var json = System.Text.Json.JsonDocument.Parse(report.Json);
        var http = json.RootElement.GetProperty("capture").GetProperty("http").EnumerateArray().ToList();
        Assert.Equal(4, http.Count);
        Assert.All(http, h => Assert.True(h.GetProperty("headersUnreadable").GetBoolean()));
    }

    private static string[] Recording(string fault, string layout)
    {
        var any = TestFiles.LabRecording(Path.Combine(fault, "any.pcap"));
        if (layout == "any")
        {
            return [any];
        }

        var dir = Path.GetDirectoryName(any)!;
        return Directory.GetFiles(dir, "*.pcap").Where(f => Path.GetFileName(f) != "any.pcap").Order(StringComparer.Ordinal).ToArray();
    }
}
