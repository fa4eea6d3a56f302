using System.Globalization;
using System.Text;
using KubeTriage.Wire;
using Spectre.Console;

namespace KubeTriage.Reports;

/// <summary>
/// Draws the <c>capture</c> section (<see cref="CaptureReport"/>) for people: what was read and whose
/// traffic it is, then the peers (by how long the pod waited on them), the interfaces, the slowest
/// transactions and the failed connects. Long lists are cut to the top rows with a count of the rest.
/// </summary>
public sealed class CaptureSectionRenderer : ISectionRenderer
{
    public const int MaxPeers = 15;
    public const int MaxTransactions = 10;
    public const int MaxFailedConnects = 10;

    public bool CanRender(object section) => section is CaptureReport;

    public void RenderText(object section, IAnsiConsole console)
    {
        var capture = (CaptureReport)section;
        TextReport.WriteIndented(console, "Capture", "bold", Summary(capture), indent: 0, labelWidth: 9);
        TextReport.WriteIndented(console, "Pod", "bold", PodLine(capture), indent: 0, labelWidth: 9);
        console.WriteLine();

        if (capture.Peers.Count > 0)
        {
            console.MarkupLine($"[bold]Peers[/] {Markup.Escape(Cut(capture.Peers.Count, MaxPeers, "by the time the pod waited on them"))}");
            var peers = NewTable("peer", "names", "ports/protocols", "pkts", "bytes", "conns", "failed", "busy s");
            foreach (var p in capture.Peers.Take(MaxPeers))
            {
                peers.AddRow(
                    Cell(p.Ip), Cell(string.Join(", ", p.Names.Take(3)) + (p.Names.Count > 3 ? ", …" : string.Empty)),
                    Cell(PortsAndProtocols(p)), Cell(N(p.Packets)), Cell(WireText.Bytes(p.Bytes)), Cell(N(p.Connections)),
                    new Markup(p.FailedConnections > 0 ? $"[red]{p.FailedConnections}[/]" : "0"), Cell(S(p.BusySeconds)));
            }

            console.Write(peers);
            console.WriteLine();
        }

        if (capture.Interfaces.Count > 0)
        {
            console.MarkupLine("[bold]Interfaces[/]");
            var withFiles = capture.Files.Count > 1;
            var interfaces = withFiles
                ? NewTable("interface", "packets", "pod packets", "from pod", "to pod", "file")
                : NewTable("interface", "packets", "pod packets", "from pod", "to pod");
            foreach (var i in capture.Interfaces)
            {
                var cells = new List<Text> { Cell(i.Name), Cell(N(i.Packets)), Cell(N(i.PodPackets)), Cell(N(i.FromPodPackets)), Cell(N(i.ToPodPackets)) };
                if (withFiles)
                {
                    cells.Add(Cell(WireText.FileName(i.File)));
                }

                interfaces.AddRow(cells);
            }

            console.Write(interfaces);
            console.WriteLine();
        }

        var slowest = CaptureTransactionRow.Slowest(capture, MaxTransactions);
        if (slowest.Count > 0)
        {
            console.MarkupLine($"[bold]Slowest transactions[/] (top {slowest.Count} of {TransactionCount(capture)} answered DNS/MySQL/HTTP, at most {CaptureTransactionRow.PerKind} of a kind)");
            var table = NewTable("time (UTC)", "proto", "server", "request", "answer", "latency");
            foreach (var r in slowest)
            {
                var who = capture.PodIps.Contains(r.Client) ? r.Server : $"{r.Client} → {r.Server}";
                table.AddRow(Cell(CaptureTransactionRow.Clock(r.Time)), Cell(r.Protocol), Cell(who), Cell(r.What), Cell(r.Result),
                    Cell(Latency(r)));
            }

            console.Write(table);
            console.WriteLine();
        }

        if (capture.Tcp.FailedConnects.Count > 0)
        {
            console.MarkupLine($"[bold]Failed connects[/] {Markup.Escape(Cut(capture.Tcp.FailedConnects.Count, MaxFailedConnects, "first"))}");
            var table = NewTable("time (UTC)", "client → server", "outcome", "SYNs", "interfaces");
            foreach (var c in capture.Tcp.FailedConnects.Take(MaxFailedConnects))
            {
                table.AddRow(Cell(CaptureTransactionRow.Clock(c.Time)), Cell($"{c.Client}:{c.ClientPort} → {Endpoint(c.Server, c.Port)}"),
                    Cell(OutcomeName(c.Outcome)), Cell(N(c.SynAttempts)), Cell(string.Join(", ", c.Interfaces)));
            }

            console.Write(table);
            console.WriteLine();
        }

        var dropped = Dropped(capture);
        if (dropped.Length > 0)
        {
            console.MarkupLine($"[grey]{Markup.Escape(dropped)}[/]");
            console.WriteLine();
        }
    }

    public void RenderMarkdown(object section, StringBuilder md)
    {
        var capture = (CaptureReport)section;
        md.AppendLine("## Capture");
        md.AppendLine();
        md.AppendLine($"{MarkdownReport.Escape(Summary(capture))}.");
        md.AppendLine();
        md.AppendLine($"Pod: {MarkdownReport.Escape(PodLine(capture))}.");
        md.AppendLine();
        if (capture.Peers.Count > 0)
        {
            md.AppendLine($"### Peers {MarkdownReport.Escape(Cut(capture.Peers.Count, MaxPeers, "by the time the pod waited on them"))}");
            md.AppendLine();
            md.AppendLine("| peer | names | ports/protocols | pkts | bytes | conns | failed | busy s |");
            md.AppendLine("|---|---|---|--:|--:|--:|--:|--:|");
            foreach (var p in capture.Peers.Take(MaxPeers))
            {
                md.AppendLine($"| {p.Ip} | {MarkdownReport.Escape(string.Join(", ", p.Names))} | {PortsAndProtocols(p)} | {N(p.Packets)} | {WireText.Bytes(p.Bytes)} | {N(p.Connections)} | {p.FailedConnections} | {S(p.BusySeconds)} |");
            }

            md.AppendLine();
        }

        if (capture.Interfaces.Count > 0)
        {
            md.AppendLine("### Interfaces");
            md.AppendLine();
            md.AppendLine("| interface | packets | pod packets | from pod | to pod | file |");
            md.AppendLine("|---|--:|--:|--:|--:|---|");
            foreach (var i in capture.Interfaces)
            {
                md.AppendLine($"| {MarkdownReport.Escape(i.Name)} | {N(i.Packets)} | {N(i.PodPackets)} | {N(i.FromPodPackets)} | {N(i.ToPodPackets)} | {MarkdownReport.Escape(WireText.FileName(i.File))} |");
            }

            md.AppendLine();
        }

        var slowest = CaptureTransactionRow.Slowest(capture, MaxTransactions);
        if (slowest.Count > 0)
        {
            md.AppendLine($"### Slowest transactions (top {slowest.Count} of {TransactionCount(capture)})");
            md.AppendLine();
            md.AppendLine("| time (UTC) | proto | client → server | request | answer | latency |");
            md.AppendLine("|---|---|---|---|---|--:|");
            foreach (var r in slowest)
            {
                md.AppendLine($"| {CaptureTransactionRow.Clock(r.Time)} | {r.Protocol} | {r.Client} → {r.Server} | `{r.What.Replace("`", "'", StringComparison.Ordinal).Replace("|", "\\|", StringComparison.Ordinal)}` | {MarkdownReport.Escape(r.Result)} | {Latency(r)} |");
            }

            md.AppendLine();
        }

        if (capture.Tcp.FailedConnects.Count > 0)
        {
            md.AppendLine($"### Failed connects {MarkdownReport.Escape(Cut(capture.Tcp.FailedConnects.Count, MaxFailedConnects, "first"))}");
            md.AppendLine();
            md.AppendLine("| time (UTC) | client → server | outcome | SYNs | interfaces |");
            md.AppendLine("|---|---|---|--:|---|");
            foreach (var c in capture.Tcp.FailedConnects.Take(MaxFailedConnects))
            {
                md.AppendLine($"| {CaptureTransactionRow.Clock(c.Time)} | {c.Client}:{c.ClientPort} → {Endpoint(c.Server, c.Port)} | {OutcomeName(c.Outcome)} | {c.SynAttempts} | {MarkdownReport.Escape(string.Join(", ", c.Interfaces))} |");
            }

            md.AppendLine();
        }

        var dropped = Dropped(capture);
        if (dropped.Length > 0)
        {
            md.AppendLine($"_{MarkdownReport.Escape(dropped)}_");
            md.AppendLine();
        }
    }

    public void RenderHtml(object section, StringBuilder html)
    {
        var capture = (CaptureReport)section;
        html.AppendLine("<h2>Capture</h2>");
        html.AppendLine($"<p>{HtmlReport.E(Summary(capture))}.<br>Pod: {HtmlReport.E(PodLine(capture))}.</p>");
        if (capture.Peers.Count > 0)
        {
            html.AppendLine($"<h3>Peers {HtmlReport.E(Cut(capture.Peers.Count, MaxPeers, "by the time the pod waited on them"))}</h3>");
            html.AppendLine("<table><tr><th>peer</th><th>names</th><th>ports/protocols</th><th>pkts</th><th>bytes</th><th>conns</th><th>failed</th><th>busy s</th></tr>");
            foreach (var p in capture.Peers.Take(MaxPeers))
            {
                html.AppendLine($"<tr><td>{p.Ip}</td><td>{HtmlReport.E(string.Join(", ", p.Names))}</td><td>{HtmlReport.E(PortsAndProtocols(p))}</td>"
                    + $"<td class=\"n\">{N(p.Packets)}</td><td class=\"n\">{WireText.Bytes(p.Bytes)}</td><td class=\"n\">{N(p.Connections)}</td>"
                    + $"<td class=\"n\">{p.FailedConnections}</td><td class=\"n\">{S(p.BusySeconds)}</td></tr>");
            }

            html.AppendLine("</table>");
        }

        if (capture.Interfaces.Count > 0)
        {
            html.AppendLine("<h3>Interfaces</h3>");
            html.AppendLine("<table><tr><th>interface</th><th>packets</th><th>pod packets</th><th>from pod</th><th>to pod</th><th>file</th></tr>");
            foreach (var i in capture.Interfaces)
            {
                html.AppendLine($"<tr><td>{HtmlReport.E(i.Name)}</td><td class=\"n\">{N(i.Packets)}</td><td class=\"n\">{N(i.PodPackets)}</td>"
                    + $"<td class=\"n\">{N(i.FromPodPackets)}</td><td class=\"n\">{N(i.ToPodPackets)}</td><td>{HtmlReport.E(WireText.FileName(i.File))}</td></tr>");
            }

            html.AppendLine("</table>");
        }

        var slowest = CaptureTransactionRow.Slowest(capture, MaxTransactions);
        if (slowest.Count > 0)
        {
            html.AppendLine($"<h3>Slowest transactions (top {slowest.Count} of {TransactionCount(capture)})</h3>");
            html.AppendLine(Waterfall(capture, slowest));
            html.AppendLine("<table><tr><th>time (UTC)</th><th>proto</th><th>client → server</th><th>request</th><th>answer</th><th>latency</th></tr>");
            foreach (var r in slowest)
            {
                html.AppendLine($"<tr><td>{CaptureTransactionRow.Clock(r.Time)}</td><td>{r.Protocol}</td><td>{HtmlReport.E(r.Client)} → {HtmlReport.E(r.Server)}</td>"
                    + $"<td><code>{HtmlReport.E(r.What)}</code></td><td>{HtmlReport.E(r.Result)}</td><td class=\"n\">{Latency(r)}</td></tr>");
            }

            html.AppendLine("</table>");
        }

        if (capture.Tcp.FailedConnects.Count > 0)
        {
            html.AppendLine($"<h3>Failed connects {HtmlReport.E(Cut(capture.Tcp.FailedConnects.Count, MaxFailedConnects, "first"))}</h3>");
            html.AppendLine("<table><tr><th>time (UTC)</th><th>client → server</th><th>outcome</th><th>SYNs</th><th>interfaces</th></tr>");
            foreach (var c in capture.Tcp.FailedConnects.Take(MaxFailedConnects))
            {
                html.AppendLine($"<tr><td>{CaptureTransactionRow.Clock(c.Time)}</td><td>{c.Client}:{c.ClientPort} → {HtmlReport.E(Endpoint(c.Server, c.Port))}</td>"
                    + $"<td>{OutcomeName(c.Outcome)}</td><td class=\"n\">{c.SynAttempts}</td><td>{HtmlReport.E(string.Join(", ", c.Interfaces))}</td></tr>");
            }

            html.AppendLine("</table>");
        }

        var dropped = Dropped(capture);
        if (dropped.Length > 0)
        {
            html.AppendLine($"<p><em>{HtmlReport.E(dropped)}</em></p>");
        }
    }

    /// <summary>An inline SVG: each slow transaction as a bar on the capture's timeline, so overlaps and gaps show.</summary>
    public static string Waterfall(CaptureReport capture, IReadOnlyList<CaptureTransactionRow> rows)
    {
        const int width = 720;
        const int label = 260;
        const int rowHeight = 18;
        var starts = rows.Select(r => DateTimeOffset.Parse(r.Time, CultureInfo.InvariantCulture)).ToList();
        var origin = capture.Start is { } s ? DateTimeOffset.Parse(s, CultureInfo.InvariantCulture) : starts.Min();
        var span = Math.Max(
            capture.DurationSeconds ?? 0,
            rows.Select((r, i) => (starts[i] - origin).TotalSeconds + r.LatencySeconds).Max());
        span = span <= 0 ? 1 : span;
        var scale = (width - label - 10) / span;
        var ordered = rows.Select((r, i) => (Row: r, Start: (starts[i] - origin).TotalSeconds)).OrderBy(x => x.Start).ToList();
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{ordered.Count * rowHeight + 24}\" role=\"img\" aria-label=\"slowest transactions on the capture timeline\" style=\"font:11px monospace\">");
        for (var i = 0; i < ordered.Count; i++)
        {
            var (row, start) = ordered[i];
            var y = i * rowHeight + 4;
            var x = label + start * scale;
            var w = Math.Max(1.5, row.LatencySeconds * scale);
            var colour = row.Protocol switch { "mysql" => "#6a1b9a", "http" => "#00695c", _ => "#1565c0" };
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"0\" y=\"{y + 12}\">{HtmlReport.E(Truncate($"{row.Protocol} {row.What}", 38))}</text>");
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x:0.#}\" y=\"{y + 2}\" width=\"{w:0.#}\" height=\"{rowHeight - 6}\" fill=\"{colour}\"><title>{HtmlReport.E($"{row.Client} → {row.Server} {row.What}: {S(row.LatencySeconds)} s")}</title></rect>");
        }

        var axisY = ordered.Count * rowHeight + 18;
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{label}\" y=\"{axisY}\">0 s</text><text x=\"{width - 10}\" y=\"{axisY}\" text-anchor=\"end\">{span:0.###} s</text>");
        svg.Append("</svg>");
        return svg.ToString();
    }

    public static string Summary(CaptureReport capture)
    {
        var packets = capture.Files.Sum(f => f.Packets);
        var bytes = capture.Files.Sum(f => f.Bytes);
        var window = capture.Start is { } start && capture.End is { } end
            ? $"{start[..10]} {CaptureTransactionRow.Clock(start)} → {CaptureTransactionRow.Clock(end)} UTC ({WireText.Duration((long)((capture.DurationSeconds ?? 0) * 1e9))})"
            : "no packets";
        var tunnels = capture.Files.SelectMany(f => f.TunnelledPackets).GroupBy(t => t.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Sum(t => t.Value):#,0} from {g.Key.ToUpperInvariant()}").ToList();
        return $"{WireText.Count(capture.Files.Count, "file")}, {WireText.Count(packets, "packet")}"
            + (tunnels.Count > 0 ? $" ({string.Join(", ", tunnels)}: read as the packets inside)" : string.Empty)
            + $", {WireText.Bytes(bytes)}, {window}";
    }

    public static string PodLine(CaptureReport capture) =>
        capture.PodIps.Count == 0
            ? capture.PodIpReason
            : $"{string.Join(", ", capture.PodIps)}, {(capture.PodIpsInferred ? capture.PodIpReason : "given with --pod-ip")}; it waited {S(capture.BusySeconds)} s on its peers";

    private static Table NewTable(params string[] columns)
    {
        var table = new Table().Border(TableBorder.Rounded).BorderColor(Color.Grey);
        foreach (var column in columns)
        {
            var c = new TableColumn(new Markup($"[bold]{Markup.Escape(column)}[/]"));
            if (column is "peer" or "interface" or "time (UTC)" or "proto" or "latency s" or "latency" or "busy s" or "answer")
            {
                c.NoWrap();
            }

            if (column is "pkts" or "bytes" or "conns" or "failed" or "busy s" or "packets" or "pod packets" or "from pod" or "to pod" or "SYNs" or "latency s" or "latency")
            {
                c.RightAligned();
            }

            table.AddColumn(c);
        }

        return table;
    }

    private static Text Cell(string text) => new(text);

    private static string PortsAndProtocols(Wire.ReportModel.CapturePeerReport peer)
    {
        var ports = peer.Ports.Count == 0 ? string.Empty : string.Join(",", peer.Ports.Take(4)) + (peer.Ports.Count > 4 ? ",…" : string.Empty);
        var protocols = string.Join(",", peer.Protocols.Where(p => p is not ("tcp" or "udp") || peer.Protocols.Count <= 2));
        return ports.Length == 0 ? protocols : $"{ports} {protocols}";
    }

    private static string Endpoint(string ip, int port) => ip.Contains(':', StringComparison.Ordinal) ? $"[{ip}]:{port}" : $"{ip}:{port}";

    private static string OutcomeName(Capture.Flows.TcpOutcome outcome) => outcome switch
    {
        Capture.Flows.TcpOutcome.NoReply => "no reply",
        Capture.Flows.TcpOutcome.Refused => "refused (RST)",
        _ => outcome.ToString(),
    };

    private static string Cut(int count, int max, string order) =>
        count <= max ? $"({count}, {order})" : $"(top {max} of {count}, {order})";

    private static int TransactionCount(CaptureReport capture) =>
        capture.Dns.Count(t => t.LatencySeconds is not null) + capture.Mysql.Count(t => t.LatencySeconds is not null) + capture.Http.Count(t => t.LatencySeconds is not null);

    private static string Dropped(CaptureReport capture)
    {
        var parts = capture.Retention
            .Where(kv => kv.Key != "groups" && kv.Value.Dropped > 0)
            .OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => $"{kv.Key}: {N(kv.Value.Kept)} of {N(kv.Value.Seen)}")
            .ToList();
        return parts.Count == 0 ? string.Empty : $"Records kept (failures and the slowest; all are counted in the findings): {string.Join(", ", parts)}";
    }

    private static string Latency(CaptureTransactionRow row) => WireText.Duration((long)Math.Round(row.LatencySeconds * 1e9));

    private static string N(long value) => value.ToString("#,0", CultureInfo.InvariantCulture);

    private static string S(double seconds) => seconds.ToString("0.000", CultureInfo.InvariantCulture);

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
