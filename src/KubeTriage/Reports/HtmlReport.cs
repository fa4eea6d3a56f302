using System.Net;
using System.Text;

namespace KubeTriage.Reports;

/// <summary>A single self-contained HTML page: findings, problems, then each room's section.</summary>
public static class HtmlReport
{
    public static string Render(Report report)
    {
        var html = new StringBuilder();
        html.AppendLine("<!DOCTYPE html>");
        html.AppendLine("<html lang=\"en\"><head><meta charset=\"utf-8\">");
        html.AppendLine($"<title>kubetriage {E(report.Command)} report</title>");
        html.AppendLine("<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:75em}"
            + ".critical{border-left:6px solid #c62828}.warning{border-left:6px solid #f9a825}.info{border-left:6px solid #1565c0}"
            + ".finding{padding:.5em 1em;margin:1em 0;background:#fafafa}code,pre{background:#eee;padding:.1em .3em}"
            + "table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left}td.n{text-align:right}"
            + "svg text{fill:#333}</style>");
        html.AppendLine("</head><body>");
        html.AppendLine($"<h1>kubetriage {E(report.Command)} report</h1>");
        html.AppendLine($"<p>Generated {report.GeneratedAt:yyyy-MM-dd'T'HH:mm:ss'Z'}.</p>");
        html.AppendLine("<h2>Findings</h2>");
        if (report.Findings.Count == 0)
        {
            html.AppendLine("<p>No findings.</p>");
        }

        foreach (var f in report.Findings)
        {
            var severity = TextReport.SeverityName(f.Severity);
            html.AppendLine($"<div class=\"finding {severity}\">");
            html.AppendLine($"<h3>{severity.ToUpperInvariant()} <code>{E(f.Id)}</code> {E(f.Subject)}{(f.Node is null ? string.Empty : $" on node {E(f.Node)}")}</h3>");
            html.AppendLine($"<p>{E(f.Title)}</p><ul>");
            foreach (var line in f.Evidence)
            {
                html.AppendLine($"<li>{E(line)}</li>");
            }

            html.AppendLine("</ul>");
            if (f.CausedBy.Count > 0)
            {
                html.AppendLine($"<p>Caused by: {string.Join(", ", f.CausedBy.Select(c => $"<code>{E(c)}</code>"))}</p>");
            }

            if (!string.IsNullOrWhiteSpace(f.Remediation))
            {
                html.AppendLine($"<p>Fix:</p><pre>{E(f.Remediation)}</pre>");
            }

            html.AppendLine("</div>");
        }

        if (report.Problems.Count > 0)
        {
            html.AppendLine("<h2>Problems</h2><ul>");
            foreach (var p in report.Problems)
            {
                html.AppendLine($"<li>{E(p)}</li>");
            }

            html.AppendLine("</ul>");
        }

        foreach (var section in report.Sections())
        {
            SectionRenderers.For(section)?.RenderHtml(section, html);
        }

        html.AppendLine("</body></html>");
        return html.ToString();
    }

    public static string E(string? text) => WebUtility.HtmlEncode(text ?? string.Empty);
}
