using KubeTriage.Capture;
using KubeTriage.Capture.Protocols;
using KubeTriage.Findings;
using KubeTriage.Lab;
using KubeTriage.Wire;

namespace KubeTriage.Tests.Wire;

/// <summary>
/// <c>dns.slow-response</c> over the public captures that carry DNS (<c>../shared/testdata/pcaps</c>, sources in its
/// SOURCES.md): the pod's answered and late answers, and the finding raised exactly when one came late. Only
/// <c>zeek__dns-ipv6-fragmented</c> holds one: the first fragment of a TXT answer is missing, and the client sent
/// the query again 5 s later. In <c>chrissanders__dns-no-response</c> nothing was answered: that is
/// <c>dns.no-response</c>'s alone.
/// </summary>
public class DnsPublicCaptureTests
{
    public static TheoryData<string, long, long> Captures => new()
    {
        { "chrissanders__http-baseline.pcapng", 14, 0 },
        { "chrissanders__dns-no-response.pcapng", 0, 0 },
        { "chrissanders__dns-servfail-branch.pcapng", 1, 0 },
        { "chrissanders__tcp-syn-no-answer-after-dns.pcapng", 1, 0 },
        { "chrissanders__http-syn-no-answer.pcapng", 7, 0 },
        { "deepflow__dns-nxdomain-k8s-search.pcap", 3, 0 },
        { "deepflow__dns-over-tcp-multi.pcap", 2, 0 },
        { "deepflow__mysql-171-k8s.pcap", 0, 0 },
        { "ndpi__sll-dns-tls-http-mobile.pcap", 18, 0 },
        { "zeek__pcapng-multi-interface.pcapng", 2, 0 },
        { "zeek__dns-ipv6-fragmented.pcap", 2, 1 },
    };

    [SkippableTheory]
    [MemberData(nameof(Captures))]
    public void TheFindingFollowsTheLateAnswersTheCaptureHolds(string name, long answered, long late)
    {
        // Given
        var path = TestPaths.SharedPcap(name);
        Skip.IfNot(File.Exists(path), $"public capture {name} not found in {Path.GetDirectoryName(path)} (see SOURCES.md there)");
        var builder = new CaptureEvidenceBuilder();
        Assert.True(CaptureEngine.Run([path], builder, new ProtocolRegistry(builder)).Succeeded);
        var evidence = builder.Build();

        // When
        var findings = AnalyzerRunner.Run(AnalyzerCatalog.Wire(false), new CaptureContext(evidence), []);

        // Then: every transaction is kept at this size, so the groups can be checked against them
        Assert.Equal(0, evidence.Retention["dns"].Dropped);
        var pod = evidence.DnsLatency.Where(g => evidence.IsPod(g.Client)).ToList();
        Assert.Equal((answered, late), (pod.Sum(g => g.Answered), pod.Sum(g => g.Late)));
        Assert.Equal(evidence.Dns.Count(t => t.ResponseTimeNs is not null && evidence.IsPod(t.Client.Address)), pod.Sum(g => g.Answered));
        Assert.Equal(late > 0, findings.Any(f => f.Id == FindingIds.DnsSlowResponse));
    }

    [SkippableFact]
    public void TheFragmentedAnswerLostOnTheWayIsReSentAfterFiveSeconds()
    {
        // Given
        var path = TestPaths.SharedPcap("zeek__dns-ipv6-fragmented.pcap");
        Skip.IfNot(File.Exists(path), $"public capture not found: {path}");
        var builder = new CaptureEvidenceBuilder();
        Assert.True(CaptureEngine.Run([path], builder, new ProtocolRegistry(builder)).Succeeded);

        // When
        var findings = AnalyzerRunner.Run(AnalyzerCatalog.Wire(false), new CaptureContext(builder.Build()), []);

        // Then: the same query (port 51851, id 40849) re-sent after the capture gave its first copy up; both findings say so
        var finding = Assert.Single(findings, f => f.Id == FindingIds.DnsSlowResponse);
        Assert.Equal("1 of 2 DNS answers from 2607:f740:b::f93 took 5 s or more", finding.Title);
        Assert.Contains("it was answered only after the pod sent the query again: re-sent after 5.00 s, then answered within 83.2 ms: the first query or its answer was lost",
            finding.Evidence);
        Assert.Contains("txtpadding_3230.n1.netalyzr.icsi.berkeley.edu TXT at 01:38:13.592 (frame 3 in zeek__dns-ipv6-fragmented.pcap), sent 2 times, answered 5.08 s later (frame 8)",
            finding.Evidence);
        Assert.Contains(finding.Evidence, l => l.EndsWith("the earlier query got no answer and counts in dns.no-response too", StringComparison.Ordinal));
        Assert.Single(findings, f => f.Id == FindingIds.DnsNoResponse);
    }
}
