using Spectre.Console.Cli;

namespace KubeTriage.Cli.Commands;

/// <summary>The <c>node</c> verb with its help text and examples.</summary>
public static class NodeRegistration
{
    public static void Add(IConfigurator config) =>
        config.AddCommand<NodeCommand>("node")
            .WithDescription(
                "Check this node's networking for pods: PCI NICs without an interface (node.nic-missing), pod policy-routing "
                + "tables without a usable default route (node.policy-route-missing), and pod traffic that leaves through a NIC "
                + "other than the pod subnet's (node.pod-egress-wrong-interface). Reads ip -j addr/link/rule/route, /sys and "
                + "resolv.conf live, a named network namespace, or collected files. Exit 0 clean, 1 findings, 2 unreadable input.")
            .WithExample("node")
            .WithExample("node", "--pod-ip", "10.0.97.30")
            .WithExample("node", "--netns", "node-a", "--format", "json")
            .WithExample("node", "--from", "bundle/", "-o", "node-report.md", "--format", "markdown")
            .WithExample("node", "--from", "bundle/nodes/ip-10-0-1-23", "--sysfs-root", "saved-sys/");
}
