using KubeTriage.Findings;

namespace KubeTriage.Node.Analyzers;

/// <summary>
/// <c>node.policy-route-missing</c>: a pod's source rule (<c>from &lt;podIP&gt; lookup N</c>) sends its traffic to a
/// table without a usable default route: empty (ipamd's routes gone), no default, or a default through a device
/// that is absent or down or a gateway not reachable on it. One finding per table, naming every pod rule into it.
/// Caused by <c>node.nic-missing</c> when the NIC the table needs is absent or down.
/// </summary>
public sealed class PolicyRouteMissingAnalyzer : IAnalyzer<NodeEvidence>
{
    private const int MaxRuleLines = 8;

    public string Id => FindingIds.NodePolicyRouteMissing;

    public string Title => "A pod's policy-routing table has no usable default route";

    public IEnumerable<Finding> Analyze(NodeEvidence evidence)
    {
        if (!evidence.RoutesKnown || !evidence.RulesKnown)
        {
            yield break;
        }

        var byTable = evidence.Pods
            .SelectMany(pod => evidence.SourceRules(pod.Ip).Select(rule => (pod, rule)))
            .Where(x => !NodeEvidence.IsBuiltInTable(x.rule.Table!))
            .GroupBy(x => x.rule.Table!, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal);
        foreach (var group in byTable)
        {
            var verdict = PolicyTableCheck.Check(evidence, group.Key);
            if (verdict.Usable)
            {
                continue;
            }

            var rules = group.Select(x => x.rule.Text).Distinct().ToList();
            var lines = rules.Take(MaxRuleLines).ToList();
            if (rules.Count > MaxRuleLines)
            {
                lines.Add($"… and {rules.Count - MaxRuleLines} more rules into table {group.Key}");
            }

            var v4 = verdict.Routes;
            lines.Add(v4.Count == 0
                ? $"ip route show table {group.Key}: (empty)"
                : $"ip route show table {group.Key}: {string.Join("; ", v4.Select(r => r.Text))}");
            lines.Add(verdict.Reason);
            var missingNic = verdict.BrokenByMissingNic(evidence);
            if (verdict.ExpectedNic is { } nic)
            {
                lines.Add(nic.Present is null
                    ? $"table {group.Key} belongs to {nic.Name} (VPC CNI numbering), which is absent"
                    : $"table {group.Key} belongs to {nic.Name} (VPC CNI numbering), state {nic.Present.StateText}");
            }

            var pods = group.Select(x => x.pod.Ip.ToString()).Distinct().ToList();
            yield return new Finding(
                Id,
                Severity.Critical,
                $"Traffic from pod{(pods.Count == 1 ? string.Empty : "s")} {string.Join(", ", pods.Take(3))}{(pods.Count > 3 ? ", …" : string.Empty)} is policy-routed to table {group.Key}, which has no usable default route",
                $"route table {group.Key}",
                lines,
                (missingNic ? "bring the NIC back first (see node.nic-missing); then " : string.Empty)
                + $"kubectl -n kube-system rollout restart daemonset aws-node (ipamd re-programs the per-NIC tables when it starts); then confirm: ip route show table {group.Key}")
            {
                Node = evidence.Node,
                CausedBy = missingNic ? [FindingIds.NodeNicMissing] : [],
            };
        }
    }
}
