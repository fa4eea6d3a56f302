using System.Globalization;
using System.Text;
using KubeTriage.Names;
using Spectre.Console;

namespace KubeTriage.Reports;

/// <summary>
/// Draws the <c>dnsProbes</c> section: one row per name and resolver (answers, rcode, latency, transport),
/// then the search-list expansion a ClusterFirst pod pays for each name.
/// </summary>
public sealed class DnsProbesSectionRenderer : ISectionRenderer
{
    private static readonly string[] Columns = ["Name", "Resolver", "Answers", "Rcode", "ms A/AAAA", "Via"];
    private static readonly string[] StepColumns = ["#", "Candidate", "A", "AAAA", "Answers", "ms"];

    public bool CanRender(object section) => section is DnsProbeResults;

    public void RenderText(object section, IAnsiConsole console)
    {
        var results = (DnsProbeResults)section;
        console.MarkupLine($"[bold]DNS probes[/] ({Markup.Escape(Header(results))})");
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var column in Columns)
        {
            table.AddColumn(column);
        }

        foreach (var row in Rows(results))
        {
            table.AddRow(row.Select(cell => Markup.Escape(cell)).ToArray());
        }

        console.Write(table);
        console.WriteLine();
        console.MarkupLine("[bold]Search-list expansion[/] (what one lookup costs a ClusterFirst pod)");
        if (results.SearchExpansionNote is { } note)
        {
            console.MarkupLine($"  {Markup.Escape(note)}");
        }

        foreach (var expansion in results.SearchExpansions)
        {
            console.MarkupLine($"  {Markup.Escape(Summary(expansion))}");
            console.MarkupLine($"  [bold]{Markup.Escape(Cost(expansion))}[/]");
            var steps = new Table().Border(TableBorder.Simple);
            foreach (var column in StepColumns)
            {
                steps.AddColumn(column);
            }

            foreach (var row in StepRows(expansion))
            {
                steps.AddRow(row.Select(cell => Markup.Escape(cell)).ToArray());
            }

            console.Write(steps);
        }

        console.WriteLine();
    }

    public void RenderMarkdown(object section, StringBuilder markdown)
    {
        var results = (DnsProbeResults)section;
        markdown.AppendLine("## DNS probes");
        markdown.AppendLine();
        markdown.AppendLine(MarkdownReport.Escape(Header(results)));
        markdown.AppendLine();
        MarkdownTable(markdown, Columns, Rows(results));
        markdown.AppendLine("### Search-list expansion");
        markdown.AppendLine();
        if (results.SearchExpansionNote is { } note)
        {
            markdown.AppendLine(MarkdownReport.Escape(note));
            markdown.AppendLine();
        }

        foreach (var expansion in results.SearchExpansions)
        {
            markdown.AppendLine($"{MarkdownReport.Escape(Summary(expansion))}: **{MarkdownReport.Escape(Cost(expansion))}**");
            markdown.AppendLine();
            MarkdownTable(markdown, StepColumns, StepRows(expansion));
        }
    }

    public void RenderHtml(object section, StringBuilder html)
    {
        var results = (DnsProbeResults)section;
        html.AppendLine("<h2>DNS probes</h2>");
        html.AppendLine($"<p>{HtmlReport.E(Header(results))}</p>");
        HtmlTable(html, Columns, Rows(results));
        html.AppendLine("<h3>Search-list expansion</h3>");
        if (results.SearchExpansionNote is { } note)
        {
            html.AppendLine($"<p>{HtmlReport.E(note)}</p>");
        }

        foreach (var expansion in results.SearchExpansions)
        {
            html.AppendLine($"<p>{HtmlReport.E(Summary(expansion))}: <strong>{HtmlReport.E(Cost(expansion))}</strong></p>");
            HtmlTable(html, StepColumns, StepRows(expansion));
        }
    }

    private static string Header(DnsProbeResults results) =>
        $"{results.Names.Count} name(s) x {results.Resolvers.Count} resolver(s), A and AAAA, "
        + $"timeout {Seconds(results.TimeoutSeconds)}, {results.Retries} retries, no cache";

    /// <summary>One row per name and resolver: A and AAAA together, as a pod asks them.</summary>
    private static IEnumerable<string[]> Rows(DnsProbeResults results)
    {
        foreach (var name in results.Names)
        {
            foreach (var resolver in results.Resolvers)
            {
                var probes = results.For(name, resolver);
                if (probes.Count == 0)
                {
                    continue;
                }

                var chain = probes.Select(p => p.CnameChain).FirstOrDefault(c => c.Count > 1);
                var answers = DnsProbeEvidence.Addresses(probes);
                var answerText = answers.Count == 0 ? "-" : string.Join(", ", answers);
                if (chain is not null)
                {
                    answerText = $"{string.Join(" -> ", chain.Skip(1))} -> {answerText}";
                }

                yield return
                [
                    name,
                    resolver.Label,
                    answerText,
                    Rcode(probes),
                    Latency(probes),
                    string.Join("/", probes.Select(p => p.Transport).Distinct(StringComparer.Ordinal)),
                ];
            }
        }
    }

    private static IEnumerable<string[]> StepRows(SearchExpansion expansion) =>
        expansion.Steps.Select((step, i) => new[]
        {
            (i + 1).ToString(CultureInfo.InvariantCulture),
            step.Candidate,
            step.ARcode ?? "timeout",
            step.AaaaRcode ?? "timeout",
            step.Answers.Count == 0 ? "-" : string.Join(", ", step.Answers),
            Ms(step.LatencySeconds),
        });

    /// <summary><c>oss.example.com via 198.18.2.10 (cluster-dns), ndots:5, search a b c</c>: what was replayed.</summary>
    public static string Summary(SearchExpansion expansion)
    {
        var search = expansion.Search.Count == 0 ? "no search list" : $"search {string.Join(" ", expansion.Search)}";
        return $"{expansion.Name} via {expansion.Resolver.Label}, ndots:{expansion.Ndots}, {search}";
    }

    /// <summary><c>4 candidates, 8 queries, 3 NXDOMAIN before the answer from oss.example.com, 7.2 ms in all</c>: what it cost.</summary>
    public static string Cost(SearchExpansion expansion)
    {
        var outcome = expansion.AnsweredBy is { } by
            ? $"{expansion.NxDomains} NXDOMAIN before the answer from {by}"
            : expansion.Stopped;
        return $"{expansion.Steps.Count} candidate(s), {expansion.Queries} queries, {outcome}, {Ms(expansion.TotalSeconds)} ms in all";
    }

    private static string Rcode(IReadOnlyList<DnsProbe> probes)
    {
        var codes = probes.Select(p => p.Rcode ?? (p.Outcome == DnsProbeOutcome.Timeout ? "timeout" : "error")).ToList();
        return codes.Distinct(StringComparer.Ordinal).Count() == 1
            ? codes[0]
            : string.Join(" ", probes.Zip(codes, (p, c) => $"{p.Type}:{c}"));
    }

    private static string Latency(IReadOnlyList<DnsProbe> probes) =>
        string.Join(" / ", probes.Select(p => Ms(p.LatencySeconds)));

    private static string Ms(double? seconds) =>
        seconds is { } s ? (s * 1000).ToString("0.0", CultureInfo.InvariantCulture) : "-";

    private static string Seconds(double seconds) =>
        seconds >= 1 ? $"{seconds.ToString("0.###", CultureInfo.InvariantCulture)}s" : $"{(seconds * 1000).ToString("0", CultureInfo.InvariantCulture)}ms";

    private static void MarkdownTable(StringBuilder markdown, string[] columns, IEnumerable<string[]> rows)
    {
        markdown.AppendLine($"| {string.Join(" | ", columns)} |");
        markdown.AppendLine($"|{string.Join("|", columns.Select(_ => "---"))}|");
        foreach (var row in rows)
        {
            markdown.AppendLine($"| {string.Join(" | ", row.Select(MarkdownReport.Escape))} |");
        }

        markdown.AppendLine();
    }

    private static void HtmlTable(StringBuilder html, string[] columns, IEnumerable<string[]> rows)
    {
        html.AppendLine("<table><thead><tr>" + string.Concat(columns.Select(c => $"<th>{HtmlReport.E(c)}</th>")) + "</tr></thead><tbody>");
        foreach (var row in rows)
        {
            html.AppendLine("<tr>" + string.Concat(row.Select(c => $"<td>{HtmlReport.E(c)}</td>")) + "</tr>");
        }

        html.AppendLine("</tbody></table>");
    }
}
