using KubeTriage.Findings;
using Spectre.Console;

namespace KubeTriage.Reports;

/// <summary>
/// The one screen a person acts on: findings first (what is broken, the evidence, the fix), then problems,
/// then each room's section. Evidence is kept short (<see cref="MaxEvidenceLines"/> lines, then a count);
/// when one id raises many findings, the first <see cref="FullFindingsPerId"/> are shown in full and the
/// rest one line each.
/// </summary>
public static class TextReport
{
    public const int MaxEvidenceLines = 5;
    public const int FullFindingsPerId = 3;

    public static void Render(Report report, IAnsiConsole console)
    {
        RenderFindings(report.Findings, console);
        RenderProblems(report.Problems, console);
        foreach (var section in report.Sections())
        {
            SectionRenderers.For(section)?.RenderText(section, console);
        }
    }

    public static void RenderFindings(IReadOnlyList<Finding> findings, IAnsiConsole console)
    {
        if (findings.Count == 0)
        {
            console.MarkupLine("[green]No findings.[/]");
            console.WriteLine();
            return;
        }

        var counts = findings.GroupBy(f => f.Severity).OrderByDescending(g => g.Key)
            .Select(g => $"{g.Count()} {SeverityName(g.Key)}");
        console.MarkupLine($"[bold]Findings[/] ({string.Join(", ", counts)})");
        console.WriteLine();
        foreach (var group in GroupById(findings))
        {
            foreach (var finding in group.Take(group.Count > FullFindingsPerId + 1 ? FullFindingsPerId : group.Count))
            {
                RenderFinding(finding, console);
            }

            if (group.Count > FullFindingsPerId + 1)
            {
                var rest = group.Skip(FullFindingsPerId).ToList();
                console.MarkupLine($"[grey]{rest.Count} more[/] [bold]{Markup.Escape(group[0].Id)}[/] [grey](evidence and fixes in --format json|markdown|html)[/]");
                foreach (var finding in rest)
                {
                    console.MarkupLine($"{SeverityBadge(finding.Severity)} {Markup.Escape(finding.Subject)}: {Markup.Escape(finding.Title)}");
                }

                console.WriteLine();
            }
        }
    }

    public static void RenderProblems(IReadOnlyList<string> problems, IAnsiConsole console)
    {
        if (problems.Count == 0)
        {
            return;
        }

        console.MarkupLine($"[bold yellow]Problems[/] (evidence that could not be read; results above are partial)");
        foreach (var problem in problems)
        {
            WriteIndented(console, "!", "yellow", problem, indent: 2, labelWidth: 2);
        }

        console.WriteLine();
    }

    public static string SeverityName(Severity severity) => severity switch
    {
        Severity.Critical => "critical",
        Severity.Warning => "warning",
        _ => "info",
    };

    /// <summary>Runs of findings with the same id, in the report's order (severity, id, subject).</summary>
    public static IReadOnlyList<IReadOnlyList<Finding>> GroupById(IReadOnlyList<Finding> findings)
    {
        var groups = new List<IReadOnlyList<Finding>>();
        List<Finding>? current = null;
        foreach (var finding in findings)
        {
            if (current is null || current[0].Id != finding.Id || current[0].Severity != finding.Severity)
            {
                current = [];
                groups.Add(current);
            }

            current.Add(finding);
        }

        return groups;
    }

    private static void RenderFinding(Finding finding, IAnsiConsole console)
    {
        console.MarkupLine($"{SeverityBadge(finding.Severity)} [bold]{Markup.Escape(finding.Id)}[/]  {Markup.Escape(finding.Subject)}"
            + (finding.Node is null ? string.Empty : $" [grey]on node {Markup.Escape(finding.Node)}[/]"));
        WriteIndented(console, string.Empty, string.Empty, finding.Title);
        var shown = finding.Evidence.Count > MaxEvidenceLines + 1 ? MaxEvidenceLines : finding.Evidence.Count;
        foreach (var line in finding.Evidence.Take(shown))
        {
            WriteIndented(console, "·", "grey", line);
        }

        if (finding.Evidence.Count > shown)
        {
            WriteIndented(console, "·", "grey", $"… {finding.Evidence.Count - shown} more lines of evidence");
        }

        if (finding.CausedBy.Count > 0)
        {
            WriteIndented(console, "cause", "yellow", string.Join(", ", finding.CausedBy));
        }

        if (!string.IsNullOrWhiteSpace(finding.Remediation))
        {
            var label = "fix";
            foreach (var line in finding.Remediation.Split('\n'))
            {
                WriteIndented(console, label, "cyan", line);
                label = string.Empty;
            }
        }

        console.WriteLine();
    }

    /// <summary>
    /// Writes "    label text", wrapping the text at word boundaries so that continuation lines start under
    /// the text, not at the left margin (and no line ends in padding).
    /// </summary>
    public static void WriteIndented(IAnsiConsole console, string label, string labelStyle, string text, int indent = 4, int labelWidth = 6)
    {
        var width = Math.Max(40, console.Profile.Width - indent - labelWidth);
        var leading = text.Length - text.TrimStart(' ').Length;
        var lines = Wrap(text.TrimStart(' '), width - leading).Select(l => new string(' ', leading) + l).ToList();
        for (var i = 0; i < lines.Count; i++)
        {
            var prefix = new string(' ', indent)
                + (i == 0 && label.Length > 0 ? $"[{labelStyle}]{Markup.Escape(label)}[/]{new string(' ', Math.Max(1, labelWidth - label.Length))}" : new string(' ', labelWidth));
            console.MarkupLine(prefix + Markup.Escape(lines[i]).TrimEnd());
        }
    }

    private static IEnumerable<string> Wrap(string text, int width)
    {
        if (text.Length <= width)
        {
            yield return text;
            yield break;
        }

        var line = new System.Text.StringBuilder();
        foreach (var word in text.Split(' '))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width)
            {
                yield return line.ToString();
                line.Clear();
            }

            if (line.Length > 0)
            {
                line.Append(' ');
            }

            line.Append(word);
        }

        if (line.Length > 0)
        {
            yield return line.ToString();
        }
    }

    private static string SeverityBadge(Severity severity) => severity switch
    {
        Severity.Critical => "[bold white on red] CRITICAL [/]",
        Severity.Warning => "[bold black on yellow] WARNING  [/]",
        _ => "[bold white on blue] INFO     [/]",
    };
}
