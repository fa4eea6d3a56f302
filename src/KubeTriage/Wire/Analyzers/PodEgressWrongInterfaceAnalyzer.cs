using KubeTriage.Findings;

namespace KubeTriage.Wire.Analyzers;

/// <summary>
/// <c>node.pod-egress-wrong-interface</c>, judged from the capture (see <see cref="PodEgressJudge"/>): the
/// pod's packets leave through a node NIC that gets nothing back, while another captured NIC carries the
/// pod subnet. With a single interface captured nothing is raised; the node checks judge it from routing.
/// </summary>
public sealed class PodEgressWrongInterfaceAnalyzer : IAnalyzer<CaptureContext>
{
    public string Id => FindingIds.NodePodEgressWrongInterface;

    public string Title => "Pod traffic leaves through the wrong NIC";

    public IEnumerable<Finding> Analyze(CaptureContext context)
    {
        var evidence = context.Evidence;
        var verdict = PodEgressJudge.Judge(evidence);
        if (!verdict.IsWrong)
        {
            yield break;
        }

        var pod = evidence.Pod.ToString();
        var firstPod = evidence.Pod.Ips[0].ToString();
        var wrong = string.Join(", ", verdict.Wrong.Select(i => i.Name));
        var right = string.Join(", ", verdict.PodSubnetNames);
        var lines = verdict.Wrong.Select(i =>
            $"{i.Name}: {i.FromPodPackets} packets from the pod, none to it ({WireText.FileName(i.File)})").ToList();
        lines.AddRange(verdict.PodSubnet.Where(i => i.ToPodPackets > 0 || i.PodSubnetPackets > 0).Select(i =>
            $"{i.Name}: {i.ToPodPackets} packets to the pod, {i.PodSubnetPackets} of other pod-subnet addresses: it carries the pod subnet"));
        foreach (var subnet in verdict.PodSubnetByAddress)
        {
            var seen = verdict.PodSubnet.FirstOrDefault(i => PodEgressJudge.OwnNic(i) == subnet.Nic);
            lines.Add($"{subnet.Nic} holds {subnet.Address} on the node (ip -j addr), the pod's subnet {subnet.Subnet}"
                + (seen is null || seen.PodPackets == 0 ? ": the capture saw no packet of the pod on it" : string.Empty));
        }

        var failed = evidence.TcpGroups
            .Where(g => g.NoReply > 0 && evidence.IsPod(g.Client) && evidence.InterfaceNames(g.FailedInterfaceIds).Any(verdict.IsWrongInterface))
            .Select(g => g.Server).Distinct().ToList();
        if (failed.Count > 0)
        {
            lines.Add($"connects that got no answer on {wrong}: {WireText.List(failed.Select(s => s.ToString()))}");
        }

        yield return new Finding(
            Id,
            Severity.Critical,
            $"The pod's packets leave through {wrong} instead of {right}",
            $"pod {pod} via {wrong}",
            lines,
            $"The pod's policy route is missing or wrong, so its traffic follows the main table out of {wrong}; the network drops the replies."
            + " On the node:\n"
            + $"  ip rule show | grep {firstPod}            # the rule for the pod address (e.g. 'from {firstPod} lookup 2')\n"
            + $"  ip route show table <that rule's table>   # must hold a default route via the pod subnet's gateway on {right}\n"
            + $"  ip route get {(failed.Count > 0 ? failed[0].Address.ToString() : "<peer>")} from {firstPod}   # which NIC the pod's packets take\n"
            + $"  kubetriage node --pod-ip {firstPod}\n"
            + "Restoring the route (e.g. restarting the CNI's IP address daemon) brings the replies back.");
    }
}
