using KubeTriage.Findings;
using Spectre.Console;

namespace KubeTriage.Reports;

/// <summary>
/// The one screen a person acts on: findings first (what is broken, the evidence, the fix),
/// then problems, then each room's section.
/// </summary>
public static class TextReport
{
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
            return;
        }

        var counts = findings.GroupBy(f => f.Severity).OrderByDescending(g => g.Key)
            .Select(g => $"{g.Count()} {SeverityName(g.Key)}");
        console.MarkupLine($"[bold]Findings[/] ({string.Join(", ", counts)})");
        console.WriteLine();
        foreach (var finding in findings)
        {
            console.MarkupLine($"{SeverityBadge(finding.Severity)} [bold]{Markup.Escape(finding.Id)}[/]  {Markup.Escape(finding.Subject)}");
            console.MarkupLine($"    {Markup.Escape(finding.Title)}");
            foreach (var line in finding.Evidence)
            {
                console.MarkupLine($"    [grey]·[/] {Markup.Escape(line)}");
            }

            if (finding.CausedBy.Count > 0)
            {
                console.MarkupLine($"    [yellow]caused by:[/] {Markup.Escape(string.Join(", ", finding.CausedBy))}");
            }

            if (!string.IsNullOrWhiteSpace(finding.Remediation))
            {
                console.MarkupLine($"    [cyan]fix:[/] {Markup.Escape(finding.Remediation)}");
            }

            console.WriteLine();
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
            console.MarkupLine($"  [yellow]![/] {Markup.Escape(problem)}");
        }

        console.WriteLine();
    }

    public static string SeverityName(Severity severity) => severity switch
    {
        Severity.Critical => "critical",
        Severity.Warning => "warning",
        _ => "info",
    };

    private static string SeverityBadge(Severity severity) => severity switch
    {
        Severity.Critical => "[bold white on red] CRITICAL [/]",
        Severity.Warning => "[bold black on yellow] WARNING  [/]",
        _ => "[bold white on blue] INFO     [/]",
    };
}
