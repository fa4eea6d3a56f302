using System.Text.Json;
using KubeTriage.Findings;
using KubeTriage.Reports;
using Spectre.Console;

namespace KubeTriage.Tests.Reports;

public class ReportFormatsTests
{
    [Fact]
    public void TheIncidentRaisesEachWireFaultWithItsCause()
    {
        // When
        var report = IncidentReport.Build();

        // Then
        Assert.Equal(
        [
            "critical node.pod-egress-wrong-interface pod 198.18.1.20 via eth0",
            "critical tcp.connect-no-reply 198.18.2.20:3306 <- node.pod-egress-wrong-interface",
            "warning dependency.slow 198.19.249.132 (oss.example.com) <- dns.unexpected-answer",
            "warning dns.unexpected-answer oss.example.com",
            "warning mysql.slow-query 198.18.2.20:3306 CALL business_query()",
            "info dns.error-rcode search-path NXDOMAIN",
        ], report.Findings.Select(f => $"{TextReport.SeverityName(f.Severity)} {f.Id} {f.Subject}{(f.CausedBy.Count > 0 ? " <- " + string.Join(",", f.CausedBy) : string.Empty)}"));
        Assert.Equal(1, report.ExitCode);
    }

    [Fact]
    public void TextReportMatchesTheGoldenFile()
    {
        // Given
        var report = IncidentReport.Build();

        // When
        var text = RenderText(report, width: 120);

        // Then
        Golden.Verify(text, "Incident.Text.verified.txt");
    }

    [Fact]
    public void JsonReportMatchesTheGoldenFile()
    {
        // When
        var json = JsonReport.Render(IncidentReport.Build());

        // Then
        Golden.Verify(json, "Incident.Json.verified.json");
    }

    [Fact]
    public void MarkdownReportMatchesTheGoldenFile()
    {
        // When
        var markdown = MarkdownReport.Render(IncidentReport.Build());

        // Then
        Golden.Verify(markdown, "Incident.Markdown.verified.md");
    }

    [Fact]
    public void HtmlReportMatchesTheGoldenFileAndDrawsAWaterfall()
    {
        // When
        var html = HtmlReport.Render(IncidentReport.Build());

        // Then
        Assert.Contains("<svg", html);
        Assert.Equal(CaptureSectionRenderer.MaxTransactions, html.Split("<rect ").Length - 1);
        Golden.Verify(html, "Incident.Html.verified.html");
    }

    [Fact]
    public void TheCaptureSectionCarriesTheContractsJsonFields()
    {
        // Given
        var json = JsonReport.Render(IncidentReport.Build());

        // When
        using var document = JsonDocument.Parse(json);
        var capture = document.RootElement.GetProperty("capture");

        // Then
        Assert.Equal(1, document.RootElement.GetProperty("schemaVersion").GetInt32());
        AssertFields(document.RootElement.GetProperty("findings")[0], "id", "severity", "title", "subject", "evidence", "remediation", "causedBy");
        AssertFields(capture, "files", "peers", "interfaces", "tcp", "dns", "mysql", "http", "tls");
        AssertFields(capture.GetProperty("files")[0], "path", "format", "linkType", "packets", "bytes", "start", "end", "problems");
        AssertFields(capture.GetProperty("peers")[0], "ip", "names", "ports", "protocols", "packets", "bytes", "connections", "failedConnections", "transactions", "busySeconds");
        AssertFields(capture.GetProperty("interfaces")[0], "name", "packets", "podPackets");
        AssertFields(capture.GetProperty("tcp"), "connections", "failedConnects");
        AssertFields(capture.GetProperty("tcp").GetProperty("failedConnects")[0], "client", "server", "port", "synAttempts", "outcome");
        AssertFields(capture.GetProperty("dns")[0], "time", "client", "server", "name", "type", "rcode", "answers", "latencySeconds");
        AssertFields(capture.GetProperty("mysql")[0], "time", "client", "server", "command", "query", "latencySeconds", "error");
        AssertFields(capture.GetProperty("http")[0], "time", "client", "server", "host", "method", "path", "status", "bytes", "latencySeconds");
        Assert.Equal("A", capture.GetProperty("dns")[0].GetProperty("type").GetString());
        Assert.Equal("NXDOMAIN", capture.GetProperty("dns")[0].GetProperty("rcode").GetString());
        Assert.Equal("2023-11-14T22:13:20.099000Z", capture.GetProperty("dns")[0].GetProperty("time").GetString());
        Assert.Equal("noReply", capture.GetProperty("tcp").GetProperty("failedConnects")[0].GetProperty("outcome").GetString());
        Assert.Equal(JsonValueKind.Null, capture.GetProperty("mysql")[0].GetProperty("error").ValueKind);
    }

    [Fact]
    public void ManyFindingsOfOneIdAreShortenedToOneLineEach()
    {
        // Given
        var findings = Enumerable.Range(1, 6)
            .Select(i => new Finding(FindingIds.TcpConnectNoReply, Severity.Critical, $"SYNs to 10.0.0.{i}:80 got no answer", $"10.0.0.{i}:80",
                [.. Enumerable.Range(1, 9).Select(l => $"line {l}")], "ip route get 10.0.0.1"))
            .ToList();
        var report = new Report { Command = "capture", Findings = findings };

        // When
        var text = RenderText(report, width: 100);

        // Then
        Golden.Verify(text, "ManyFindings.Text.verified.txt");
    }

    private static void AssertFields(JsonElement element, params string[] names)
    {
        foreach (var name in names)
        {
            Assert.True(element.TryGetProperty(name, out _), $"missing field '{name}' in {element}");
        }
    }

    internal static string RenderText(Report report, int width)
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(writer),
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = width;
        TextReport.Render(report, console);
        return writer.ToString();
    }
}
