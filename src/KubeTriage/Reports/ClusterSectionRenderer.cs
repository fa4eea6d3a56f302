using System.Text;
using KubeTriage.Cluster;
using Spectre.Console;

namespace KubeTriage.Reports;

/// <summary>Draws the <c>cluster</c> section: CoreDNS deployment and pods, Service endpoints, Corefile upstreams, log classes, target pods.</summary>
public sealed class ClusterSectionRenderer : ISectionRenderer
{
    public bool CanRender(object section) => section is ClusterSection;

    public void RenderText(object section, IAnsiConsole console)
    {
        var s = (ClusterSection)section;
        console.MarkupLine($"[bold]Cluster DNS[/] [grey]({Markup.Escape(s.Source)})[/]");
        foreach (var line in Lines(s))
        {
            console.MarkupLine($"  {Markup.Escape(line)}");
        }

        if (s.CoreDns.Pods.Count > 0)
        {
            var pods = new Table().Border(TableBorder.Simple).AddColumns("pod", "node", "ip", "ready", "restarts", "state", "last exit");
            foreach (var p in s.CoreDns.Pods)
            {
                pods.AddRow(E(p.Name), E(p.Node), E(p.PodIp), p.Ready ? "yes" : "[red]no[/]", p.Restarts > 0 ? $"[yellow]{p.Restarts}[/]" : "0", E(p.State), E(LastExit(p)));
            }

            console.Write(pods);
        }

        if (s.CoreDns.Logs.Count > 0)
        {
            var logs = new Table().Border(TableBorder.Simple).AddColumns("log", "entries", "classes", "failing upstreams", "api-server");
            foreach (var l in s.CoreDns.Logs)
            {
                logs.AddRow(
                    E($"{l.Pod}/{l.Container}{(l.Previous ? " (previous)" : string.Empty)}"),
                    l.Entries.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    E(Classes(l)),
                    E(string.Join(", ", l.Upstreams.Select(u => $"{u.Address} ×{u.Count}"))),
                    E(string.Join(", ", l.ApiServers.Select(u => $"{u.Address} ×{u.Count}"))));
            }

            console.Write(logs);
        }

        foreach (var t in s.TargetPods)
        {
            console.MarkupLine($"  pod {Markup.Escape($"{t.Namespace}/{t.Name}")}: {Markup.Escape(Target(t))}");
        }

        console.WriteLine();
    }

    public void RenderMarkdown(object section, StringBuilder markdown)
    {
        var s = (ClusterSection)section;
        markdown.AppendLine("## Cluster DNS");
        markdown.AppendLine();
        markdown.AppendLine($"Source: `{s.Source}`");
        markdown.AppendLine();
        foreach (var line in Lines(s))
        {
            markdown.AppendLine($"- {MarkdownReport.Escape(line)}");
        }

        markdown.AppendLine();
        if (s.CoreDns.Pods.Count > 0)
        {
            markdown.AppendLine("| pod | node | ip | ready | restarts | state | last exit |");
            markdown.AppendLine("|---|---|---|---|---|---|---|");
            foreach (var p in s.CoreDns.Pods)
            {
                markdown.AppendLine($"| {M(p.Name)} | {M(p.Node)} | {M(p.PodIp)} | {(p.Ready ? "yes" : "no")} | {p.Restarts} | {M(p.State)} | {M(LastExit(p))} |");
            }

            markdown.AppendLine();
        }

        if (s.CoreDns.Logs.Count > 0)
        {
            markdown.AppendLine("| log | entries | classes | failing upstreams | api-server |");
            markdown.AppendLine("|---|---|---|---|---|");
            foreach (var l in s.CoreDns.Logs)
            {
                markdown.AppendLine($"| {M($"{l.Pod}/{l.Container}{(l.Previous ? " (previous)" : string.Empty)}")} | {l.Entries} | {M(Classes(l))} | {M(string.Join(", ", l.Upstreams.Select(u => $"{u.Address} ×{u.Count}")))} | {M(string.Join(", ", l.ApiServers.Select(u => $"{u.Address} ×{u.Count}")))} |");
            }

            markdown.AppendLine();
        }

        foreach (var t in s.TargetPods)
        {
            markdown.AppendLine($"- pod `{t.Namespace}/{t.Name}`: {MarkdownReport.Escape(Target(t))}");
        }

        markdown.AppendLine();
    }

    public void RenderHtml(object section, StringBuilder html)
    {
        var s = (ClusterSection)section;
        html.AppendLine("<h2>Cluster DNS</h2>");
        html.AppendLine($"<p>Source: <code>{HtmlReport.E(s.Source)}</code></p><ul>");
        foreach (var line in Lines(s))
        {
            html.AppendLine($"<li>{HtmlReport.E(line)}</li>");
        }

        html.AppendLine("</ul>");
        if (s.CoreDns.Pods.Count > 0)
        {
            html.AppendLine("<table><tr><th>pod</th><th>node</th><th>ip</th><th>ready</th><th>restarts</th><th>state</th><th>last exit</th></tr>");
            foreach (var p in s.CoreDns.Pods)
            {
                html.AppendLine($"<tr><td>{HtmlReport.E(p.Name)}</td><td>{HtmlReport.E(p.Node)}</td><td>{HtmlReport.E(p.PodIp)}</td><td>{(p.Ready ? "yes" : "no")}</td><td>{p.Restarts}</td><td>{HtmlReport.E(p.State)}</td><td>{HtmlReport.E(LastExit(p))}</td></tr>");
            }

            html.AppendLine("</table>");
        }

        if (s.CoreDns.Logs.Count > 0)
        {
            html.AppendLine("<table><tr><th>log</th><th>entries</th><th>classes</th><th>failing upstreams</th><th>api-server</th></tr>");
            foreach (var l in s.CoreDns.Logs)
            {
                html.AppendLine($"<tr><td>{HtmlReport.E($"{l.Pod}/{l.Container}{(l.Previous ? " (previous)" : string.Empty)}")}</td><td>{l.Entries}</td><td>{HtmlReport.E(Classes(l))}</td>"
                    + $"<td>{HtmlReport.E(string.Join(", ", l.Upstreams.Select(u => $"{u.Address} ×{u.Count}")))}</td><td>{HtmlReport.E(string.Join(", ", l.ApiServers.Select(u => $"{u.Address} ×{u.Count}")))}</td></tr>");
            }

            html.AppendLine("</table>");
        }

        if (s.TargetPods.Count > 0)
        {
            html.AppendLine("<ul>");
            foreach (var t in s.TargetPods)
            {
                html.AppendLine($"<li>pod <code>{HtmlReport.E($"{t.Namespace}/{t.Name}")}</code>: {HtmlReport.E(Target(t))}</li>");
            }

            html.AppendLine("</ul>");
        }
    }

    /// <summary>The summary lines every format shows.</summary>
    public static IEnumerable<string> Lines(ClusterSection s)
    {
        foreach (var d in s.CoreDns.Deployments)
        {
            yield return $"deployment {d.Namespace}/{d.Name}: {d.ReadyReplicas}/{d.Replicas} ready, {d.AvailableReplicas} available";
        }

        if (s.CoreDns.Deployments.Count == 0)
        {
            yield return "no cluster-DNS Deployment found (none exists, or it could not be read: see the problems above)";
        }

        if (s.CoreDns.Service is { } svc)
        {
            yield return $"service {svc.Namespace}/{svc.Name}: ClusterIP {svc.ClusterIp ?? "none"} ({string.Join(", ", svc.Ports)})";
        }

        if (s.CoreDns.Endpoints is { } ep)
        {
            yield return $"{ep.Source}: ready {(ep.Ready.Count == 0 ? "none" : string.Join(", ", ep.Ready.Select(a => a.Address)))}"
                + (ep.NotReady.Count > 0 ? $"; not ready {string.Join(", ", ep.NotReady.Select(a => a.Address))}" : string.Empty);
        }

        if (s.CoreDns.Corefile is { } corefile)
        {
            foreach (var f in corefile.ForwardTargets)
            {
                yield return $"Corefile {corefile.Source} line {f.Line}: {f.Plugin} {f.From} → {string.Join(", ", f.Targets)} (zones {string.Join(" ", f.Zones)})";
            }

            if (corefile.ForwardTargets.Count == 0)
            {
                yield return $"Corefile {corefile.Source}: no forward/proxy line";
            }
        }

        if (s.Unavailable.Count > 0)
        {
            yield return $"not read: {string.Join(", ", s.Unavailable)}";
        }
    }

    private static string Classes(LogSection l) =>
        string.Join(", ", l.Classes.Where(kv => kv.Key != "info").Select(kv => $"{kv.Key} {kv.Value}")) is { Length: > 0 } c ? c : "no errors";

    private static string LastExit(DnsPodSection p) =>
        p.LastTerminationReason is null ? "-" : $"{p.LastTerminationReason} ({p.LastTerminationExitCode})";

    private static string Target(TargetPodSection t)
    {
        var uses = t.UsesClusterDns switch
        {
            true => "uses cluster DNS",
            false => $"does NOT use cluster DNS {t.ClusterDnsIp}",
            null => "cluster DNS use unknown",
        };
        return $"dnsPolicy {t.DnsPolicy ?? "?"}, nameservers {(t.Nameservers.Count == 0 ? "unknown" : string.Join(", ", t.Nameservers))} (from {t.NameserverSource ?? "nothing"}): {uses}";
    }

    private static string E(string? text) => Markup.Escape(text ?? "-");

    private static string M(string? text) => MarkdownReport.Escape(text ?? "-");
}
