using System.Net;

namespace KubeTriage.Node;

/// <summary>
/// Finds the pod addresses a node routes for. Given addresses win; otherwise two signs of a pod on this node:
/// a host route <c>&lt;podIP&gt; dev &lt;veth&gt; scope link</c> in main to an interface without an address of its
/// own (the VPC CNI, Calico and Cilium plumb pods this way; DHCP gateway host routes on NICs are not pods), and a
/// per-source rule <c>from &lt;podIP&gt; lookup N</c> for an address the node does not own. Rules at 32764/32765
/// select an ENI's own primary address (ipamd, ec2-net-utils) and are never pods. Bridge CNIs leave no per-pod
/// trace: there pods come only from <c>--pod-ip</c>. The host side of each pod is where the node routes the pod's
/// address (a veth, or a bridge).
/// </summary>
public static class PodAddressFinder
{
    /// <summary>Rules at or above this priority are the node's own (ENI primary address rules, main, default).</summary>
    public const int FirstNodeRulePriority = 32000;

    public static IReadOnlyList<PodAddress> Find(
        IReadOnlyList<NetInterface> interfaces,
        IReadOnlyList<PolicyRule> rules,
        IReadOnlyList<Route> routes,
        IReadOnlyList<IPAddress> given)
    {
        if (given.Count > 0)
        {
            return given.Distinct()
                .Select(ip => new PodAddress(ip, HostSide(interfaces, rules, routes, ip), "--pod-ip"))
                .ToList();
        }

        var local = interfaces.SelectMany(i => i.Addresses).Select(a => a.Local).ToHashSet();
        var withSubnets = interfaces.Where(i => i.Subnets.Any()).Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        var found = new Dictionary<IPAddress, PodAddress>();
        foreach (var route in routes)
        {
            if (route.Table == "main" && route.Type == Route.Unicast && route.Gateway is null && route.Dev is { } dev
                && IpPrefix.IsHost(route.Destination) && route.Scope == "link"
                && route.Protocol is null or "boot" or "static"
                && !withSubnets.Contains(dev) && dev != "lo"
                && !local.Contains(route.Destination.BaseAddress))
            {
                found.TryAdd(route.Destination.BaseAddress, new PodAddress(route.Destination.BaseAddress, dev, "host route"));
            }
        }

        foreach (var rule in rules)
        {
            if (rule.IsLookup && rule.SelectsSingleSource && rule.Priority < FirstNodeRulePriority
                && !NodeEvidence.IsBuiltInTable(rule.Table!) && !local.Contains(rule.From.BaseAddress)
                && !found.ContainsKey(rule.From.BaseAddress))
            {
                var ip = rule.From.BaseAddress;
                found[ip] = new PodAddress(ip, HostSide(interfaces, rules, routes, ip), "rule");
            }
        }

        return found.Values.OrderBy(p => p.Ip.GetAddressBytes(), ByteOrder.Instance).ToList();
    }

    /// <summary>
    /// Where the node delivers the pod's address directly: its veth, or a bridge with ports. Null when the address
    /// is reached through a gateway or sits on a NIC's subnet (a pod of another node, not one behind this node).
    /// </summary>
    public static string? HostSide(IReadOnlyList<NetInterface> interfaces, IReadOnlyList<PolicyRule> rules, IReadOnlyList<Route> routes, IPAddress pod)
    {
        var towards = PolicyRoutingSimulator.Lookup(rules, routes, new RouteQuery(pod, null, null));
        if (towards is not { Type: Route.Unicast, Gateway: null, Dev: { } dev } || dev == "lo")
        {
            return null;
        }

        var link = interfaces.FirstOrDefault(i => i.Name == dev);
        var isNic = link is not null && link.Subnets.Any() && link.Kind != "bridge" && !interfaces.Any(i => i.Master == dev);
        return isNic ? null : dev;
    }

    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static ByteOrder Instance { get; } = new();

        public int Compare(byte[]? x, byte[]? y)
        {
            x ??= [];
            y ??= [];
            var length = x.Length.CompareTo(y.Length);
            if (length != 0)
            {
                return length;
            }

            for (var i = 0; i < x.Length; i++)
            {
                var c = x[i].CompareTo(y[i]);
                if (c != 0)
                {
                    return c;
                }
            }

            return 0;
        }
    }
}
