using KubeTriage.Findings;

namespace KubeTriage.Wire.Analyzers;

/// <summary>
/// <c>tcp.connect-no-reply</c>: the pod sent SYNs to a peer and port and never got a SYN-ACK (Zeek's S0).
/// One finding per peer:port, citing SYN times and frames, the interfaces the SYNs were seen on and,
/// when the capture shows it, that they left through a NIC other than the pod subnet's.
/// A lone SYN in the capture's last second is not judged: its answer may lie past the end.
/// </summary>
public sealed class TcpConnectNoReplyAnalyzer : IAnalyzer<CaptureContext>
{
    private const int MaxExamples = 3;

    public string Id => FindingIds.TcpConnectNoReply;

    public string Title => "TCP connects that never got an answer";

    public IEnumerable<Finding> Analyze(CaptureContext context)
    {
        var evidence = context.Evidence;
        var egress = PodEgressJudge.Judge(evidence);
        var groups = evidence.TcpGroups
            .Where(g => g.NoReply > 0 && evidence.IsPod(g.Client) && !OnlyAtCaptureEnd(g, evidence))
            .GroupBy(g => g.Server);
        foreach (var byServer in groups)
        {
            var server = byServer.Key;
            var list = byServer.ToList();
            var noReply = list.Sum(g => g.NoReply);
            var syns = list.Sum(g => g.FailedSynAttempts);
            var established = list.Sum(g => g.Established);
            var first = list.Min(g => g.FirstFailedSynNs) ?? 0;
            var last = list.Max(g => g.LastFailedSynNs) ?? first;
            var clients = list.Select(g => g.Client.ToString()).Distinct().ToList();
            var interfaceNames = evidence.InterfaceNames(list.SelectMany(g => g.FailedInterfaceIds));
            var wrong = interfaceNames.Where(egress.IsWrongInterface).ToList();
            var endpoint = WireText.Endpoint(server.Address, server.Port);
            var names = evidence.NamesOf(server.Address);

            var lines = new List<string>
            {
                $"{WireText.Count(noReply, "connection")} from {string.Join(", ", clients)}, {WireText.Count(syns, "SYN")} {WireText.Between(first, last)}"
                + (last > first ? $" ({WireText.Duration(last - first)})" : string.Empty) + ", no SYN-ACK",
            };
            foreach (var connection in list.SelectMany(g => g.FailedExamples).Where(c => c.Outcome == Capture.Flows.TcpOutcome.NoReply)
                         .OrderBy(c => c.FirstTimeNs).Take(MaxExamples))
            {
                var firstSyn = connection.SynTimesNs.Count > 0 ? connection.SynTimesNs[0] : connection.FirstTimeNs;
                lines.Add($"port {connection.Client.Port}: {WireText.Count(connection.SynAttempts, "SYN")}, first at {WireText.Clock(firstSyn)}"
                    + $" ({WireText.Frame(connection.FirstFrame, evidence.FileOf(connection))}), last +{WireText.Duration(connection.LastTimeNs - firstSyn)}");
            }

            foreach (var error in evidence.IcmpErrorsFor(server).GroupBy(e => (e.Reporter, e.Description)).Take(3))
            {
                var firstError = error.MinBy(e => e.FirstTimeNs)!;
                lines.Add($"ICMP {error.Key.Description} from {error.Key.Reporter} ×{error.Sum(e => e.Count)}, first at {WireText.Clock(firstError.FirstTimeNs)}"
                    + $" ({WireText.Frame(firstError.FirstFrame, firstError.File)})");
            }

            foreach (var translation in evidence.NatTranslations.Where(t => t.Backend == server).Take(2))
            {
                lines.Add($"the pod addressed these as {translation.Service} (a Service address: DNAT on the node sent them to {endpoint})");
            }

            foreach (var translation in evidence.NatTranslations.Where(t => t.Service == server).Take(2))
            {
                lines.Add($"DNAT on the node sent these on to {translation.Backend} (the Service's backend)");
            }

            if (established > 0)
            {
                lines.Add($"{WireText.Count(established, "other connection")} to the same port did get through: the failure is intermittent");
            }

            // Nothing answered ARP for a next hop while the SYNs went unanswered: the node holds (and drops) what it cannot deliver there.
            var arp = evidence.Arp
                .GroupBy(a => a.Target)
                .Where(t => t.Sum(a => a.Replies) == 0 && t.Sum(a => a.Requests) >= NetArpUnansweredAnalyzer.MinRequests)
                .Where(t => t.Min(a => a.FirstRequestNs) <= last + ArpWindowNs && t.Max(a => a.LastRequestNs) >= first - ArpWindowNs)
                .ToList();
            foreach (var target in arp.Take(2))
            {
                var arpInterfaces = evidence.InterfaceNames(target.Select(a => a.InterfaceId));
                lines.Add($"meanwhile nothing answered ARP for {target.Key}{(arpInterfaces.Count > 0 ? $" on {string.Join(", ", arpInterfaces)}" : string.Empty)}"
                    + $" ({WireText.Count(target.Sum(a => a.Requests), "request")}, {FindingIds.NetArpUnanswered}): a next hop that cannot be reached holds these packets back");
            }

            if (interfaceNames.Count > 0)
            {
                var notSeen = egress.NodeNics.Where(i => !interfaceNames.Contains(i.Name)).Select(i => i.Name).ToList();
                var pathNote = wrong.Count > 0
                    ? $"; the pod subnet is carried by {string.Join(", ", egress.PodSubnetNames.Where(n => !interfaceNames.Contains(n)))}, where these SYNs were not seen: they left through the wrong NIC"
                    : notSeen.Count > 0 ? $", not on {string.Join(", ", notSeen)}" : string.Empty;
                lines.Add($"SYNs seen on {string.Join(", ", interfaceNames)}{(evidence.Interfaces.Count == 1 ? " (the only interface captured)" : string.Empty)}{pathNote}");
            }

            yield return new Finding(
                Id,
                Severity.Critical,
                $"SYNs to {endpoint} got no answer ({WireText.Count(noReply, "connection")}, {WireText.Count(syns, "SYN")})",
                names.Count == 0 ? endpoint : $"{endpoint} ({string.Join(", ", names)})",
                lines,
                Remediation(evidence, server.Address.ToString(), server.Port, clients[0], wrong, egress))
            {
                CausedBy = [.. wrong.Count > 0 ? [FindingIds.NodePodEgressWrongInterface] : Array.Empty<string>(),
                    .. arp.Count > 0 ? [FindingIds.NetArpUnanswered] : Array.Empty<string>()],
            };
        }
    }

    /// <summary>ARP requests this close to the failed SYNs (before the first, after the last) count as the same trouble.</summary>
    private const long ArpWindowNs = 5_000_000_000;

    private static bool OnlyAtCaptureEnd(TcpConnectGroup group, CaptureEvidence evidence) =>
        group.FailedSynAttempts <= group.NoReply + group.Refused
        && evidence.EndNs is { } end
        && group.FirstFailedSynNs is { } first
        && end - first < 1_000_000_000;

    private static string Remediation(CaptureEvidence evidence, string peer, ushort port, string pod, IReadOnlyList<string> wrong, PodEgressJudge.Verdict egress)
    {
        var lines = new List<string>();
        if (wrong.Count > 0)
        {
            lines.Add($"The pod's SYNs left through {string.Join(", ", wrong)}, not through {string.Join(", ", egress.PodSubnetNames)} (the pod subnet's NIC): "
                + "the network drops the replies of a path that does not match. Restore the pod's policy route (the CNI's table for pod addresses), e.g. restart the CNI's IP address daemon, then check:");
        }
        else
        {
            lines.Add("Find where the SYNs die: the route the pod's packets take, a firewall or security group on the way, or nothing listening on the peer. On the pod's node:");
        }

        lines.Add($"  ip route get {peer} from {pod}   # the NIC and table the pod's packets take");
        lines.Add("  ip rule show; ip route show table all   # the pod's policy rule and its table");
        lines.Add($"  tcpdump -ni any host {pod} and port {port}   # on all NICs: where do SYNs leave, does a SYN-ACK return?");
        lines.Add($"  kubetriage node --pod-ip {pod}   # checks the node's NICs and policy routing");
        return string.Join('\n', lines);
    }
}
