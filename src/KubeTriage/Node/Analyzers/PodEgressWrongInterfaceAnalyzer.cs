using KubeTriage.Findings;

namespace KubeTriage.Node.Analyzers;

/// <summary>
/// <c>node.pod-egress-wrong-interface</c>: the route lookup for traffic from a pod (the kernel's
/// <c>ip route get DST from POD iif VETH</c>, or the simulator offline) leaves through a NIC other than the pod
/// subnet's. The pod subnet's NIC is the one whose subnet holds the pod address, or the one the pod's policy table
/// belongs to (VPC CNI numbering). Where no NIC is the pod's (overlay and bridge CNIs, whose pod ranges live on no
/// NIC or on the bridge itself), nothing is judged. Caused by <c>node.policy-route-missing</c> when the pod's
/// table is unusable.
/// </summary>
public sealed class PodEgressWrongInterfaceAnalyzer : IAnalyzer<NodeEvidence>
{
    public string Id => FindingIds.NodePodEgressWrongInterface;

    public string Title => "Pod traffic leaves the node through a NIC other than the pod subnet's";

    public IEnumerable<Finding> Analyze(NodeEvidence evidence)
    {
        // A simulation over rules or routes that could not be read proves nothing.
        var simulationSound = evidence.RulesKnown && evidence.RoutesKnown;
        foreach (var lookup in evidence.Lookups.Where(l => l.Leaves && (l.Origin == RouteLookup.Kernel || simulationSound)))
        {
            var pod = lookup.Source;
            var hostSide = lookup.Iif ?? evidence.Pods.FirstOrDefault(p => p.Ip.Equals(pod))?.HostInterface;
            var reasons = new List<string>();
            var expected = new List<string>();
            foreach (var nic in evidence.Interfaces.Where(i => IsNic(evidence, i, hostSide)))
            {
                foreach (var subnet in nic.Subnets.Where(s => IpPrefix.Holds(s.Subnet, pod)))
                {
                    expected.Add(nic.Name);
                    reasons.Add($"{pod} is in {nic.Name}'s subnet {subnet.Subnet} ({nic.Name} has {subnet})");
                }
            }

            var rules = evidence.SourceRules(pod).Where(r => !NodeEvidence.IsBuiltInTable(r.Table!)).ToList();
            foreach (var rule in rules)
            {
                if (VpcCniNumbering.ForTable(rule.Table!, evidence.Interfaces) is { } numbered)
                {
                    expected.Add(numbered.Present?.Name ?? numbered.Name);
                    reasons.Add($"rule '{rule.Text}' sends it to table {rule.Table}, which belongs to {numbered.Name} (VPC CNI numbering)");
                }
            }

            if (expected.Count == 0 || expected.Contains(lookup.Dev!) || evidence.Interface(lookup.Dev!) is { } d && expected.Any(d.HasName))
            {
                continue;
            }

            var expectedText = string.Join(" or ", expected.Distinct());
            var lines = new List<string>
            {
                $"{lookup.Command} → {lookup.ResultText}" + (lookup.Origin == RouteLookup.Kernel ? " (the kernel's answer)" : " (simulated from the collected rules and routes)"),
            };
            if (lookup.Via is not null)
            {
                lines.Add($"path: {lookup.Via}");
            }

            lines.AddRange(reasons.Distinct());
            if (evidence.Interface(lookup.Dev!) is { } egress && egress.Subnets.Any())
            {
                lines.Add($"{egress.Name} is in {string.Join(", ", egress.Subnets.Select(s => s.Subnet.ToString()))}: pod-subnet sources leaving there fail the network's source/destination check, so replies never come back");
            }

            if (rules.Count == 0)
            {
                lines.Add($"no rule 'from {pod} lookup N' exists: the pod's traffic follows the main table");
            }

            var causedBy = rules.Any(r => !PolicyTableCheck.Check(evidence, r.Table!).Usable)
                ? new[] { FindingIds.NodePolicyRouteMissing }
                : [];
            yield return new Finding(
                Id,
                Severity.Critical,
                $"Traffic from pod {pod} leaves through {lookup.Dev}, not through {expectedText}",
                $"pod {pod}",
                lines,
                $"kubectl -n kube-system rollout restart daemonset aws-node (ipamd re-programs the pod's rule and table); then confirm: {lookup.Command}   (expect dev {expectedText})")
            {
                Node = evidence.Node,
                CausedBy = causedBy,
            };
        }
    }

    /// <summary>A NIC in the sense of "the pod subnet's NIC": not loopback, not the pod's own side, not a bridge.</summary>
    private static bool IsNic(NodeEvidence evidence, NetInterface link, string? hostSide) =>
        !link.IsLoopback
        && link.Name != hostSide
        && link.Kind != "bridge"
        && !evidence.Interfaces.Any(i => i.Master == link.Name);
}
