using System.Text;
using KubeTriage.Node;
using Spectre.Console;

namespace KubeTriage.Reports;

/// <summary>
/// Draws the node section: per node, its interfaces, policy rules, the pods it routes for with their rules, tables
/// and egress lookup, the tables those rules use, the PCI network functions and resolv.conf.
/// </summary>
public sealed class NodeSectionRenderer : ISectionRenderer
{
    public bool CanRender(object section) => section is NodeSection;

    public void RenderText(object section, IAnsiConsole console)
    {
        foreach (var node in ((NodeSection)section).Nodes)
        {
            console.MarkupLine($"[bold]Node {Markup.Escape(node.Node)}[/] [grey]({Markup.Escape(node.Source)}; {Markup.Escape(NamespaceText(node))})[/]");

            var interfaces = new Table().Border(TableBorder.Simple)
                .AddColumn(new TableColumn("interface").NoWrap())
                .AddColumn(new TableColumn("state").NoWrap())
                .AddColumn(new TableColumn("addresses").NoWrap())
                .AddColumn(new TableColumn("device").NoWrap());
            foreach (var i in node.Interfaces)
            {
                interfaces.AddRow(
                    Markup.Escape(InterfaceName(i)),
                    Markup.Escape(i.StateText),
                    Markup.Escape(Addresses(i)),
                    Markup.Escape(Device(node, i)));
            }

            console.Write(interfaces);

            console.MarkupLine("  [bold]Policy rules[/]");
            foreach (var rule in node.Rules)
            {
                console.MarkupLine($"    {Markup.Escape(rule.Text)}");
            }

            if (node.Rules.Count == 0)
            {
                console.MarkupLine("    [grey](none read)[/]");
            }

            console.WriteLine();
            if (node.Pods.Count == 0)
            {
                console.MarkupLine("  [bold]Pods[/] [grey]none found on this node (no per-pod host routes or rules; give --pod-ip)[/]");
            }
            else
            {
                var pods = new Table().Border(TableBorder.Simple)
                    .AddColumn(new TableColumn("pod IP").NoWrap())
                    .AddColumn(new TableColumn("host side").NoWrap())
                    .AddColumn(new TableColumn("source rule → table"))
                    .AddColumn(new TableColumn("egress lookup"));
                foreach (var pod in node.Pods)
                {
                    pods.AddRow(
                        Markup.Escape(pod.Ip.ToString()),
                        Markup.Escape(pod.HostInterface ?? "-"),
                        Markup.Escape(PodRules(node, pod)),
                        Markup.Escape(Egress(node, pod)));
                }

                console.Write(pods);
            }

            var tables = PodTables(node);
            if (tables.Count > 0)
            {
                console.MarkupLine("  [bold]Tables of pod rules[/]");
                foreach (var table in tables)
                {
                    console.MarkupLine($"    {Markup.Escape(TableLine(node, table))}");
                }

                console.WriteLine();
            }

            console.MarkupLine($"  [bold]PCI network functions[/] {Markup.Escape(PciHeading(node))}");
            foreach (var f in node.PciFunctions)
            {
                console.MarkupLine($"    {Markup.Escape(PciLine(f))}");
            }

            if (node.ResolvConf is { } resolv)
            {
                console.MarkupLine($"  [bold]resolv.conf[/] {Markup.Escape(ResolvLine(resolv))}");
            }

            console.WriteLine();
        }
    }

    public void RenderMarkdown(object section, StringBuilder markdown)
    {
        foreach (var node in ((NodeSection)section).Nodes)
        {
            markdown.AppendLine($"## Node {MarkdownReport.Escape(node.Node)}");
            markdown.AppendLine();
            markdown.AppendLine($"{MarkdownReport.Escape(node.Source)}; {MarkdownReport.Escape(NamespaceText(node))}");
            markdown.AppendLine();
            markdown.AppendLine("| interface | state | addresses | mac | device |");
            markdown.AppendLine("|---|---|---|---|---|");
            foreach (var i in node.Interfaces)
            {
                markdown.AppendLine($"| {MarkdownReport.Escape(InterfaceName(i))} | {MarkdownReport.Escape(i.StateText)} | {MarkdownReport.Escape(Addresses(i))} | {i.Mac} | {MarkdownReport.Escape(Device(node, i))} |");
            }

            markdown.AppendLine();
            markdown.AppendLine("Policy rules:");
            markdown.AppendLine();
            markdown.AppendLine("```");
            foreach (var rule in node.Rules)
            {
                markdown.AppendLine(rule.Text);
            }

            markdown.AppendLine("```");
            markdown.AppendLine();
            if (node.Pods.Count > 0)
            {
                markdown.AppendLine("| pod IP | host side | source rule → table | egress lookup |");
                markdown.AppendLine("|---|---|---|---|");
                foreach (var pod in node.Pods)
                {
                    markdown.AppendLine($"| {pod.Ip} | {pod.HostInterface ?? "-"} | {MarkdownReport.Escape(PodRules(node, pod))} | {MarkdownReport.Escape(Egress(node, pod))} |");
                }

                markdown.AppendLine();
            }

            foreach (var table in PodTables(node))
            {
                markdown.AppendLine($"- {MarkdownReport.Escape(TableLine(node, table))}");
            }

            markdown.AppendLine();
            markdown.AppendLine($"PCI network functions {MarkdownReport.Escape(PciHeading(node))}");
            markdown.AppendLine();
            foreach (var f in node.PciFunctions)
            {
                markdown.AppendLine($"- {MarkdownReport.Escape(PciLine(f))}");
            }

            if (node.ResolvConf is { } resolv)
            {
                markdown.AppendLine();
                markdown.AppendLine($"resolv.conf: {MarkdownReport.Escape(ResolvLine(resolv))}");
            }

            markdown.AppendLine();
        }
    }

    public void RenderHtml(object section, StringBuilder html)
    {
        foreach (var node in ((NodeSection)section).Nodes)
        {
            html.AppendLine($"<h2>Node {HtmlReport.E(node.Node)}</h2>");
            html.AppendLine($"<p>{HtmlReport.E(node.Source)}; {HtmlReport.E(NamespaceText(node))}</p>");
            html.AppendLine("<table><tr><th>interface</th><th>state</th><th>addresses</th><th>mac</th><th>device</th></tr>");
            foreach (var i in node.Interfaces)
            {
                html.AppendLine($"<tr><td>{HtmlReport.E(InterfaceName(i))}</td><td>{HtmlReport.E(i.StateText)}</td><td>{HtmlReport.E(Addresses(i))}</td><td>{HtmlReport.E(i.Mac)}</td><td>{HtmlReport.E(Device(node, i))}</td></tr>");
            }

            html.AppendLine("</table>");
            html.AppendLine($"<h3>Policy rules</h3><pre>{HtmlReport.E(string.Join('\n', node.Rules.Select(r => r.Text)))}</pre>");
            if (node.Pods.Count > 0)
            {
                html.AppendLine("<h3>Pods</h3><table><tr><th>pod IP</th><th>host side</th><th>source rule → table</th><th>egress lookup</th></tr>");
                foreach (var pod in node.Pods)
                {
                    html.AppendLine($"<tr><td>{pod.Ip}</td><td>{HtmlReport.E(pod.HostInterface ?? "-")}</td><td>{HtmlReport.E(PodRules(node, pod))}</td><td>{HtmlReport.E(Egress(node, pod))}</td></tr>");
                }

                html.AppendLine("</table>");
            }

            var tables = PodTables(node);
            if (tables.Count > 0)
            {
                html.AppendLine($"<ul>{string.Concat(tables.Select(t => $"<li>{HtmlReport.E(TableLine(node, t))}</li>"))}</ul>");
            }

            html.AppendLine($"<h3>PCI network functions</h3><p>{HtmlReport.E(PciHeading(node))}</p>");
            html.AppendLine($"<ul>{string.Concat(node.PciFunctions.Select(f => $"<li>{HtmlReport.E(PciLine(f))}</li>"))}</ul>");
            if (node.ResolvConf is { } resolv)
            {
                html.AppendLine($"<p>resolv.conf: {HtmlReport.E(ResolvLine(resolv))}</p>");
            }
        }
    }

    private static string NamespaceText(NodeEvidence node) => node.Namespace.Summary;

    private static string InterfaceName(NetInterface i) =>
        i.Master is null ? i.Name : $"{i.Name} (in {i.Master})";

    private static string Addresses(NetInterface i)
    {
        var v4 = i.Addresses.Where(a => a.IsV4).Select(a => a.ToString()).ToList();
        var text = v4.Count == 0 ? "-" : string.Join(" ", v4);
        return i.AltNames.Count == 0 ? text : $"{text} (altnames {string.Join(" ", i.AltNames)})";
    }

    private static string Device(NodeEvidence node, NetInterface i)
    {
        var pci = node.PciFunctions.FirstOrDefault(f => f.NetDevs.Contains(i.Name));
        if (pci is not null)
        {
            return $"PCI {pci.Address}";
        }

        return i.Kind ?? string.Empty;
    }

    private static string PodRules(NodeEvidence node, PodAddress pod)
    {
        var rules = node.SourceRules(pod.Ip).ToList();
        return rules.Count == 0 ? "none (main table)" : string.Join("; ", rules.Select(r => r.Text));
    }

    private static string Egress(NodeEvidence node, PodAddress pod)
    {
        var lookups = node.Lookups.Where(l => l.Source.Equals(pod.Ip)).ToList();
        if (lookups.Count == 0)
        {
            return "-";
        }

        return string.Join("; ", lookups.Select(l =>
        {
            var origin = l.Origin == RouteLookup.Kernel
                ? l.CrossCheck is { } check && check.Contains("agrees", StringComparison.Ordinal) ? "kernel, simulator agrees" : "kernel"
                : "simulated";
            return $"to {l.Destination}: {l.ResultText} ({origin})";
        }));
    }

    private static List<string> PodTables(NodeEvidence node) =>
        node.Pods.SelectMany(p => node.SourceRules(p.Ip)).Select(r => r.Table!)
            .Where(t => !NodeEvidence.IsBuiltInTable(t)).Distinct().Order(StringComparer.Ordinal).ToList();

    private static string TableLine(NodeEvidence node, string table)
    {
        var routes = node.RoutesIn(table).Where(r => r.IsV4).Select(r => r.Text).ToList();
        return $"table {table}: {(routes.Count == 0 ? "(empty)" : string.Join("; ", routes))}";
    }

    private static string PciHeading(NodeEvidence node) =>
        !node.PciChecked ? "(not checked: " + (node.Namespace.PciChecksApply ? "sysfs not available" : "not the host's network namespace") + ")"
        : node.PciFunctions.Count == 0 ? $"(none in {node.SysfsRoot})"
        : $"(from {node.SysfsRoot})";

    private static string PciLine(PciFunction f) =>
        $"{f.Address} class {f.Class} {f.Ids}{(f.Model is null ? string.Empty : $" {f.Model}")} driver {f.Driver ?? "(none)"} netdevs {(f.NetDevs.Count == 0 ? "(none)" : string.Join(" ", f.NetDevs))}";

    private static string ResolvLine(NodeResolvConf resolv) =>
        $"{resolv.Path}: nameservers {(resolv.Nameservers.Count == 0 ? "(none)" : string.Join(" ", resolv.Nameservers))}"
        + (resolv.Search.Count == 0 ? string.Empty : $"; search {string.Join(" ", resolv.Search)}")
        + $"; ndots {resolv.Ndots}";
}
