namespace KubeTriage.Cli.Tests.Capture;

/// <summary>
/// <c>capture</c> end to end over the public captures of <c>../shared/testdata/pcaps</c> (sources and
/// licences in its SOURCES.md): the findings a person would act on, and golden text and JSON reports.
/// </summary>
public class PublicCaptureTests
{
    [SkippableFact]
    public void SynsWithoutAnswerAreNamedWithTheirPeerAndConnectionCount()
    {
        // Given: chrissanders/packets http_espn_fail.pcapng: 9 connections to 203.0.113.94:80 never answered
        var capture = TestFiles.PublicCapture("chrissanders__http-syn-no-answer.pcapng");

        // When
        var report = CaptureReportReader.Run("capture", capture);

        // Then
        Assert.Equal(1, report.ExitCode);
        var finding = report.Single("tcp.connect-no-reply", "203.0.113.94:80");
        Assert.Equal("critical", finding.Severity);
        Assert.StartsWith("SYNs to 203.0.113.94:80 got no answer (9 connections, ", finding.Title);
    }

    [SkippableFact]
    public void ARefusedConnectIsRaised()
    {
        // Given: chrissanders/packets tcp_refuseconnection.pcapng: SYN answered by RST/ACK
        var capture = TestFiles.PublicCapture("chrissanders__tcp-refused-rst.pcapng");

        // When
        var report = CaptureReportReader.Run("capture", capture);

        // Then
        Assert.Equal(1, report.ExitCode);
        Assert.Equal("critical", Assert.Single(report.Findings).Severity);
        Assert.Equal("tcp.connect-refused", report.Findings[0].Id);
    }

    [SkippableFact]
    public void DnsQueriesThatNeverGetAnAnswerAreRaised()
    {
        // Given: chrissanders/packets nowebaccess1.pcapng: one query retried 7 times over 8 s, two resolvers, no answer
        var capture = TestFiles.PublicCapture("chrissanders__dns-no-response.pcapng");

        // When
        var report = CaptureReportReader.Run("capture", capture);

        // Then
        Assert.Equal(1, report.ExitCode);
        Assert.NotEmpty(report.Findings);
        Assert.All(report.Findings, f => Assert.Equal(("critical", "dns.no-response"), (f.Severity, f.Id)));
    }

    [SkippableFact]
    public void ServfailIsRaised()
    {
        // Given: chrissanders/packets stranded_branchdns.pcapng: a query answered SERVFAIL
        var capture = TestFiles.PublicCapture("chrissanders__dns-servfail-branch.pcapng");

        // When
        var report = CaptureReportReader.Run("capture", capture);

        // Then
        Assert.Equal(1, report.ExitCode);
        var finding = Assert.Single(report.Findings, f => f.Id == "dns.error-rcode");
        Assert.Equal("warning", finding.Severity);
        Assert.EndsWith("SERVFAIL", finding.Subject);
    }

    [SkippableFact]
    public void AMySqlErrorIsRaisedWithItsCode()
    {
        // Given: deepflow mysql-error.pcap: COM_INIT_DB answered ERR 1049 "Unknown database 'abcd'" on port 20130
        var capture = TestFiles.PublicCapture("deepflow__mysql-error-initdb.pcap");

        // When
        var report = CaptureReportReader.Run("capture", capture);

        // Then
        Assert.Equal(1, report.ExitCode);
        var finding = Assert.Single(report.Findings, f => f.Id == "mysql.error");
        Assert.EndsWith("ERR 1049", finding.Subject);
        Assert.Contains("Unknown database 'abcd'", finding.Title);
    }

    [SkippableFact]
    public void AZeroWindowStallNamesThePodAsTheSideThatStoppedReading()
    {
        // Given: chrissanders/packets tcp_zerowindowdead.pcapng: the downloading client (the pod, by its higher port)
        // answers the server's window probes with zero windows for 23.7 s, until the capture ends
        var capture = TestFiles.PublicCapture("chrissanders__tcp-zero-window.pcapng");

        // When
        var report = CaptureReportReader.Run("capture", capture);

        // Then
        Assert.Equal(1, report.ExitCode);
        var finding = Assert.Single(report.Findings);
        Assert.Equal(("warning", "tcp.zero-window"), (finding.Severity, finding.Id));
        Assert.Equal("172.31.136.85 → 195.81.202.68:80 (client's window)", finding.Subject);
        Assert.Equal("The pod stalled 195.81.202.68:80 with a zero TCP window for 23.7 s (still closed at the end)", finding.Title);
    }

    [SkippableTheory]
    [InlineData("chrissanders__dns-no-response.pcapng", "critical dns.no-response, critical dns.no-response")]
    [InlineData("chrissanders__dns-servfail-branch.pcapng", "warning dns.error-rcode")]
    [InlineData("chrissanders__http-baseline.pcapng", "")]
    [InlineData("chrissanders__http-ipv4-ipv6.pcapng", "")]
    [InlineData("chrissanders__http-syn-no-answer.pcapng", "critical tcp.connect-no-reply")]                  // its RST answers a keep-alive after the server's idle close: nothing waited
    [InlineData("chrissanders__tcp-refused-client-retries.pcapng", "critical tcp.connect-refused")]
    [InlineData("chrissanders__tcp-refused-rst.pcapng", "critical tcp.connect-refused")]
    [InlineData("chrissanders__tcp-syn-no-answer-after-dns.pcapng", "critical tcp.connect-no-reply")]
    [InlineData("chrissanders__tcp-zero-window.pcapng", "warning tcp.zero-window")]
    [InlineData("deepflow__dns-nxdomain-k8s-search.pcap", "")]
    [InlineData("deepflow__dns-over-tcp-multi.pcap", "")]
    [InlineData("deepflow__mysql-171-k8s.pcap", "")]
    [InlineData("deepflow__mysql-error-initdb.pcap", "critical mysql.error")]
    [InlineData("deepflow__mysql-login-too-many-conns.pcap", "critical mysql.error")]
    [InlineData("deepflow__mysql-prepared-stmt.pcap", "")]
    [InlineData("ndpi__sll-dns-tls-http-mobile.pcap", "warning dependency.slow, warning tcp.connect-retried")] // its RSTs carry window 0 (not zero-window advertisements); two reset with nothing waiting, one is the pod's own; one connect to 173.252.97.2:443 got its SYN-ACK only after the SYN was sent again 1 s later
    [InlineData("suricata__sll2-http-large-segments.pcap", "")]                                               // a 2.6 MB download in 64 kB frames
    [InlineData("zeek__dns-ipv6-fragmented.pcap", "warning dependency.slow, warning dns.no-response, warning dns.slow-response")]// an answer's first fragment is missing: the query was sent again 5 s later
    [InlineData("zeek__http-qinq-vlan.pcap", "")]
    [InlineData("zeek__http-vlan.pcap", "")]
    [InlineData("zeek__mysql-auth-failures.pcap", "critical mysql.error, critical mysql.error")]              // each client FIN is sent twice: a close, not data sent again
    [InlineData("zeek__mysql-crud.pcap", "")]
    [InlineData("zeek__mysql-deprecate-eof.pcap", "")]
    [InlineData("zeek__mysql-tls-encrypted.pcap", "")]
    [InlineData("zeek__pcapng-multi-interface.pcapng", "")]
    [InlineData("zeek__tls-sni-google.pcap", "")]
    public void EveryPublicCaptureRaisesExactlyTheFindingsOfWhatItHolds(string name, string expected)
    {
        // Given: every public capture, with the warnings and criticals it should raise and no other (engine tests in
        // KubeTriage.Capture.Tests tell apart what could be mistaken: RSTs, repeated FINs, window-0 RSTs)
        var capture = TestFiles.PublicCapture(name);

        // When
        var report = CaptureReportReader.Run("capture", capture);

        // Then
        var raised = report.Findings.Where(f => f.Severity is "warning" or "critical").Select(f => $"{f.Severity} {f.Id}").Order(StringComparer.Ordinal);
        Assert.Equal(expected, string.Join(", ", raised));
        if (!expected.Contains("tcp.zero-window", StringComparison.Ordinal))
        {
            using var json = System.Text.Json.JsonDocument.Parse(report.Json);
            Assert.Equal(0, json.RootElement.GetProperty("capture").GetProperty("tcp").GetProperty("zeroWindows").GetArrayLength());
        }
    }

    [SkippableTheory]
    [InlineData("chrissanders__http-baseline.pcapng")]
    [InlineData("zeek__mysql-crud.pcap")]
    [InlineData("deepflow__mysql-171-k8s.pcap")]
    [InlineData("zeek__tls-sni-google.pcap")]
    [InlineData("zeek__pcapng-multi-interface.pcapng")]
    [InlineData("suricata__sll2-http-large-segments.pcap")]
    public void AHealthyCaptureRaisesNoWarning(string name)
    {
        // Given
        var capture = TestFiles.PublicCapture(name);

        // When
        var report = CaptureReportReader.Run("capture", capture);

        // Then
        Assert.Empty(report.Serious);
        Assert.Equal(0, report.ExitCode);
    }

    [SkippableTheory]
    [InlineData("chrissanders__tcp-refused-client-retries.pcapng")]
    [InlineData("chrissanders__dns-no-response.pcapng")]
    [InlineData("chrissanders__dns-servfail-branch.pcapng")]
    [InlineData("deepflow__mysql-error-initdb.pcap")]
    [InlineData("zeek__mysql-auth-failures.pcap")]
    [InlineData("chrissanders__tcp-zero-window.pcapng")]
    public void TextAndJsonReportsMatchTheGoldenFiles(string name)
    {
        // Given
        var capture = TestFiles.PublicCapture(name);
        var stem = Path.GetFileNameWithoutExtension(name);

        // When
        var text = CliRunner.Run("capture", capture);
        var json = CaptureReportReader.Run("capture", capture);

        // Then
        TestFiles.VerifyGolden(text.Output, $"{stem}.Text.verified.txt");
        TestFiles.VerifyGolden(json.Json, $"{stem}.Json.verified.json");
    }
}
