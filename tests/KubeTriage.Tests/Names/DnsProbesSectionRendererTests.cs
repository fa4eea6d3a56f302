using System.Text;
using System.Text.Json;
using KubeTriage.Names;
using KubeTriage.Reports;
using Spectre.Console;
using static KubeTriage.Tests.Names.Analyzers.NameEvidence;

namespace KubeTriage.Tests.Names;

public sealed class DnsProbesSectionRendererTests
{
    /// <summary>The incident's twist 4 as probe results: the upstreams answer the public path, one name goes through a CNAME.</summary>
    private static DnsProbeResults Results()
    {
        DnsProbe[] probes =
        [
            Answer("oss.example.com", ClusterDns, "198.19.249.132"),
            AnswerAaaa("oss.example.com", ClusterDns),
            Answer("oss.example.com", Upstream1, "198.19.249.132") with { Transport = "udp+tcp", Truncated = true, Queries = 2 },
            AnswerAaaa("oss.example.com", Upstream1),
            Silent("oss.example.com", Upstream2),
            Silent("oss.example.com", Upstream2, "AAAA"),
            Answer("example-api.com", ClusterDns, "198.18.4.10") with { CnameChain = ["example-api.com", "api.edge.example.net"] },
            Rcode("example-api.com", ClusterDns, DnsRcodes.ServFail, "AAAA"),
        ];
        var expansion = new SearchExpansion("oss.example.com", ClusterDns, 5,
            ["default.svc.cluster.local", "svc.cluster.local", "cluster.local"],
            [
                new SearchStep("oss.example.com.default.svc.cluster.local", "NXDOMAIN", "NXDOMAIN", [], 0.0011, null),
                new SearchStep("oss.example.com.svc.cluster.local", "NXDOMAIN", "NXDOMAIN", [], 0.0009, null),
                new SearchStep("oss.example.com.cluster.local", "NXDOMAIN", "NXDOMAIN", [], 0.001, null),
                new SearchStep("oss.example.com", "NOERROR", "NOERROR", ["198.19.249.132"], 0.0042, null),
            ],
            "oss.example.com", 8, 3, 0.0072, "answered");
        return new DnsProbeResults(2, 0, [ClusterDns, Upstream1, Upstream2], ["oss.example.com", "example-api.com"], probes, [expansion], null);
    }

    [Fact]
    public void RenderTextDrawsTheProbeTableAndTheSearchList()
    {
        // Given
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(writer),
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = 140;

        // When
        new DnsProbesSectionRenderer().RenderText(Results(), console);

        // Then
        Golden.Verify("DnsProbes.text", writer.ToString());
    }

    [Fact]
    public void RenderMarkdownDrawsTheProbeTableAndTheSearchList()
    {
        // Given
        var markdown = new StringBuilder();

        // When
        new DnsProbesSectionRenderer().RenderMarkdown(Results(), markdown);

        // Then
        Golden.Verify("DnsProbes.markdown", markdown.ToString());
    }

    [Fact]
    public void RenderHtmlDrawsTheProbeTableAndTheSearchList()
    {
        // Given
        var html = new StringBuilder();

        // When
        new DnsProbesSectionRenderer().RenderHtml(Results(), html);

        // Then
        Golden.Verify("DnsProbes.html", html.ToString());
    }

    [Fact]
    public void JsonWritesTheSectionWithRolesOutcomesAndNullLatencies()
    {
        // Given
        var results = Results();

        // When
        var json = JsonSerializer.Serialize(results, JsonReport.Options);

        // Then
        Golden.Verify("DnsProbes.json", json + "\n");
    }

    [Fact]
    public void TheRendererIsListedForTheSection()
    {
        // Given
        object section = Results();

        // When
        var renderer = SectionRenderers.For(section);

        // Then
        Assert.IsType<DnsProbesSectionRenderer>(renderer);
    }
}
