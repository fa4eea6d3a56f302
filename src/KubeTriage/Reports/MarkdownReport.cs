using System.Text;

namespace KubeTriage.Reports;

/// <summary>A report to paste into a ticket: findings with evidence and fix, problems, then sections.</summary>
public static class MarkdownReport
{
    public static string Render(Report report)
    {
        var md = new StringBuilder();
        md.AppendLine($"# kubetriage {report.Command} report");
        md.AppendLine();
        md.AppendLine($"Generated {report.GeneratedAt:yyyy-MM-dd'T'HH:mm:ss'Z'}.");
        md.AppendLine();
        md.AppendLine("## Findings");
        md.AppendLine();
        if (report.Findings.Count == 0)
        {
            md.AppendLine("No findings.");
            md.AppendLine();
        }

        foreach (var f in report.Findings)
        {
            md.AppendLine($"### {TextReport.SeverityName(f.Severity).ToUpperInvariant()} `{f.Id}`: {Escape(f.Subject)}{(f.Node is null ? string.Empty : $" on node {Escape(f.Node)}")}");
            md.AppendLine();
            md.AppendLine(Escape(f.Title));
            md.AppendLine();
            foreach (var line in f.Evidence)
            {
                md.AppendLine($"- {Escape(line)}");
            }

            if (f.CausedBy.Count > 0)
            {
                md.AppendLine();
                md.AppendLine($"Caused by: {string.Join(", ", f.CausedBy.Select(c => $"`{c}`"))}");
            }

            if (!string.IsNullOrWhiteSpace(f.Remediation))
            {
                md.AppendLine();
                md.AppendLine("Fix:");
                md.AppendLine();
                md.AppendLine("```");
                md.AppendLine(f.Remediation);
                md.AppendLine("```");
            }

            md.AppendLine();
        }

        if (report.Problems.Count > 0)
        {
            md.AppendLine("## Problems");
            md.AppendLine();
            foreach (var p in report.Problems)
            {
                md.AppendLine($"- {Escape(p)}");
            }

            md.AppendLine();
        }

        foreach (var section in report.Sections())
        {
            SectionRenderers.For(section)?.RenderMarkdown(section, md);
        }

        return md.ToString();
    }

    public static string Escape(string text) =>
        text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
