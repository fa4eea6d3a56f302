using System.Text;
using System.Text.Json;
using KubeTriage.Cluster;
using KubeTriage.Reports;
using KubeTriage.Tests.Cluster;

namespace KubeTriage.Tests.Reports;

public sealed class ClusterSectionRendererTests
{
    [Fact]
    public void TheIncidentTextReportMatchesTheGoldenFile()
    {
        // Given
        var report = IncidentReport();

        // When
        var text = ReportFormatsTests.RenderText(report, width: 120);

        // Then
        Golden.Verify(text, "Cluster/Incident.Text.verified.txt");
    }

    [Fact]
    public void TheIncidentMarkdownReportMatchesTheGoldenFile()
    {
        // Given
        var report = IncidentReport();

        // When
        var markdown = MarkdownReport.Render(report);

        // Then
        Golden.Verify(markdown, "Cluster/Incident.Markdown.verified.md");
    }

    [Fact]
    public void TheHtmlSectionShowsPodsLogsAndTargets()
    {
        // Given
        var section = (ClusterSection)IncidentReport().Cluster!;
        var html = new StringBuilder();

        // When
        new ClusterSectionRenderer().RenderHtml(section, html);

        // Then
        var text = html.ToString();
        Assert.Contains("<h2>Cluster DNS</h2>", text, StringComparison.Ordinal);
        Assert.Contains("<td>coredns-5d78c9869d-7xk2p</td><td>worker-1</td><td>198.18.1.30</td><td>no</td><td>7</td><td>CrashLoopBackOff</td><td>Error (137)</td>", text, StringComparison.Ordinal);
        Assert.Contains("198.18.2.11:53 &#215;21, 198.18.2.12:53 &#215;21", text, StringComparison.Ordinal);
        Assert.Contains("pod <code>shop/example-app</code>", text, StringComparison.Ordinal);
    }

    [Fact]
    public void TheJsonClusterSectionCarriesTheSummaryFields()
    {
        // Given
        var report = IncidentReport();

        // When
        using var json = JsonDocument.Parse(JsonReport.Render(report));

        // Then
        var cluster = json.RootElement.GetProperty("cluster");
        var coreDns = cluster.GetProperty("coreDns");
        Assert.Equal(1, coreDns.GetProperty("deployments")[0].GetProperty("replicas").GetInt32());
        Assert.Equal("worker-1", coreDns.GetProperty("pods")[0].GetProperty("node").GetString());
        Assert.Equal("10.96.0.10", coreDns.GetProperty("service").GetProperty("clusterIp").GetString());
        Assert.Equal("198.18.1.30", coreDns.GetProperty("endpoints").GetProperty("notReady")[0].GetProperty("address").GetString());
        Assert.Equal("198.18.2.12:53", coreDns.GetProperty("corefile").GetProperty("forwardTargets")[0].GetProperty("targets")[1].GetString());
        var log = coreDns.GetProperty("logs")[0];
        Assert.True(log.GetProperty("previous").GetBoolean());
        Assert.Equal(32, log.GetProperty("classes").GetProperty("upstream-timeout").GetInt32());
        Assert.Equal(16, log.GetProperty("upstreams")[0].GetProperty("count").GetInt32());
        Assert.True(cluster.GetProperty("targetPods")[0].GetProperty("usesClusterDns").GetBoolean());
        Assert.Equal("worker-1", json.RootElement.GetProperty("findings")[0].GetProperty("node").GetString());
    }

    private static Report IncidentReport()
    {
        var result = ClusterCheck.Run(ClusterFixtures.Snapshot(ClusterFixtures.Incident));
        var report = new Report
        {
            Command = "cluster",
            GeneratedAt = new DateTimeOffset(2026, 11, 28, 10, 0, 0, TimeSpan.Zero),
            Findings = result.Findings,
            Cluster = result.Section with { Source = "bundle/" },
        };
        report.Problems.AddRange(result.Problems);
        return report;
    }
}
