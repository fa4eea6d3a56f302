using KubeTriage.Capture;
using KubeTriage.Capture.Protocols;
using KubeTriage.Findings;
using KubeTriage.Lab;
using KubeTriage.Wire;
using KubeTriage.Wire.Analyzers;

namespace KubeTriage.Tests.Wire;

/// <summary>
/// <c>http.error-status</c> over the public captures that carry HTTP (<c>../shared/testdata/pcaps</c>, sources in
/// its SOURCES.md): the statuses each one holds, and the finding raised exactly when the pod got a 5xx or a 429.
/// None of them holds one, so none raises it.
/// </summary>
public class HttpPublicCaptureTests
{
    public static TheoryData<string, string> Captures => new()
    {
        { "chrissanders__http-baseline.pcapng", "200×59 301×1 302×1" },
        { "chrissanders__http-ipv4-ipv6.pcapng", "200×2" },
        { "chrissanders__http-syn-no-answer.pcapng", "200×6 301×1" },
        { "ndpi__sll-dns-tls-http-mobile.pcap", "204×2" },
        { "suricata__sll2-http-large-segments.pcap", "200×1" },
        { "zeek__http-vlan.pcap", "200×1" },
        { "zeek__http-qinq-vlan.pcap", "200×1" },
    };

    [SkippableTheory]
    [MemberData(nameof(Captures))]
    public void TheFindingFollowsTheStatusesTheCaptureHolds(string name, string statuses)
    {
        // Given
        var path = TestPaths.SharedPcap(name);
        Skip.IfNot(File.Exists(path), $"public capture {name} not found in {Path.GetDirectoryName(path)} (see SOURCES.md there)");
        var builder = new CaptureEvidenceBuilder();
        Assert.True(CaptureEngine.Run([path], builder, new ProtocolRegistry(builder)).Succeeded);
        var evidence = builder.Build();

        // When
        var findings = AnalyzerRunner.Run(AnalyzerCatalog.Wire(false), new CaptureContext(evidence), []);

        // Then: every transaction is kept at this size, so their statuses are the capture's
        Assert.Equal(0, evidence.Retention["http"].Dropped);
        var tally = evidence.Http.Where(t => t.Status is not null).GroupBy(t => t.Status!.Value).OrderBy(g => g.Key).Select(g => $"{g.Key}×{g.Count()}");
        Assert.Equal(statuses, string.Join(' ', tally));
        var podErrors = evidence.Http.Count(t => evidence.IsPod(t.Client.Address) && t.Status is { } s && HttpErrorStatusAnalyzer.IsReported(s));
        Assert.Equal(podErrors > 0, findings.Any(f => f.Id == FindingIds.HttpErrorStatus));
        Assert.DoesNotContain(findings, f => f.Id == FindingIds.HttpErrorStatus);
    }
}
