using KubeTriage.Findings;
using KubeTriage.Node.Live;

namespace KubeTriage.Node.Analyzers;

/// <summary>
/// <c>node.pod-egress-wrong-interface</c> from a live capture: packets from the pod were captured leaving through a
/// NIC whose subnets do not hold the pod address, while another NIC's subnet does (interface subnets from the
/// node's own <c>ip -j addr</c>, so it holds even when nothing at all came back on the right NIC).
/// </summary>
public sealed class CapturedPodEgressAnalyzer : IAnalyzer<CapturedEgressEvidence>
{
    public string Id => FindingIds.NodePodEgressWrongInterface;

    public string Title => "Packets from the pod were captured leaving through a NIC other than the pod subnet's";

    /// <summary>The captured interfaces pod packets left through wrongly, with the NICs whose subnets hold the pod.</summary>
    public static IReadOnlyList<(CapturedInterface Captured, NetInterface Nic, IReadOnlyList<(NetInterface Nic, InterfaceAddress Subnet)> PodNics)> Judge(
        CapturedEgressEvidence evidence)
    {
        var node = evidence.Node;
        var hostSides = node.Pods.Select(p => p.HostInterface).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var nics = node.Interfaces
            .Where(i => !i.IsLoopback && !hostSides.Contains(i.Name) && i.Kind != "bridge" && !node.Interfaces.Any(p => p.Master == i.Name))
            .ToList();
        var podNics = nics
            .SelectMany(nic => nic.Subnets.Where(s => evidence.PodIps.Any(ip => IpPrefix.Holds(s.Subnet, ip))).Select(s => (nic, s)))
            .ToList();
        if (podNics.Count == 0)
        {
            return [];
        }

        return evidence.Interfaces
            .Where(c => c.FromPodPackets > 0)
            .Select(c => (Captured: c, Nic: nics.FirstOrDefault(n => n.Name == c.Name)))
            .Where(x => x.Nic is not null && x.Nic.Subnets.Any() && !podNics.Any(p => p.nic.Name == x.Nic.Name))
            .Select(x => (x.Captured, x.Nic!, (IReadOnlyList<(NetInterface, InterfaceAddress)>)podNics))
            .ToList();
    }

    public IEnumerable<Finding> Analyze(CapturedEgressEvidence evidence)
    {
        var node = evidence.Node;
        foreach (var (captured, nic, podNics) in Judge(evidence))
        {
            var pods = string.Join(", ", evidence.PodIps);
            var right = string.Join(" or ", podNics.Select(p => p.Nic.Name).Distinct());
            var lines = new List<string>
            {
                $"{nic.Name}: {captured.FromPodPackets} packets from {pods} captured leaving, {captured.ToPodPackets} to it; {nic.Name} is in {string.Join(", ", nic.Subnets.Select(s => s.Subnet.ToString()))}",
            };
            lines.AddRange(podNics.Select(p =>
                $"{string.Join(", ", evidence.PodIps.Where(ip => IpPrefix.Holds(p.Subnet.Subnet, ip)))} is in {p.Nic.Name}'s subnet {p.Subnet.Subnet} ({p.Nic.Name} has {p.Subnet})"));
            foreach (var other in evidence.Interfaces.Where(c => podNics.Any(p => p.Nic.Name == c.Name)))
            {
                lines.Add($"{other.Name}: {other.FromPodPackets} packets from the pod, {other.ToPodPackets} to it");
            }

            foreach (var lookup in node.Lookups.Where(l => l.Leaves && evidence.PodIps.Contains(l.Source)))
            {
                lines.Add($"{lookup.Command} → {lookup.ResultText}" + (lookup.Origin == RouteLookup.Kernel ? " (the kernel's answer)" : " (simulated)"));
            }

            var first = evidence.PodIps[0];
            yield return new Finding(
                Id,
                Severity.Critical,
                $"Packets from pod {pods} leave through {nic.Name}, not through {right}",
                $"pod {pods} via {nic.Name}",
                lines,
                $"kubetriage node --pod-ip {first} (names the policy route that is missing); the usual fix: kubectl -n kube-system rollout restart daemonset aws-node; then confirm: ip route get <peer> from {first} iif <pod veth>   (expect dev {right})")
            {
                Node = node.Node,
            };
        }
    }
}
