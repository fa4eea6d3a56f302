using System.Globalization;
using KubeTriage.Capture.Flows;
using KubeTriage.Capture.Primitives;
using KubeTriage.Findings;

namespace KubeTriage.Wire.Analyzers;

/// <summary>
/// <c>tcp.connect-retried</c>: connections between the pod and a peer opened, but only after the client sent its SYN
/// again, so each connect waited a SYN retransmission timeout (1 s on Linux, then 2 s, 4 s): the classic "requests
/// sometimes take one or three seconds more". Two shapes, told apart by where the SYN-ACK was:
/// <list type="bullet">
/// <item>no SYN-ACK answered the first SYN in the capture: the SYN was dropped (a full accept queue on the server,
/// conntrack failing to insert the entry when SNAT ports collide, a policer), or the SYN-ACK before the capture point;</item>
/// <item>the capture has the SYN-ACK, yet the client sent its SYN again: the SYN-ACK reached the node and not the client
/// (reverse-path filtering, conntrack marking it invalid, a firewall rule on the way in).</item>
/// </list>
/// One finding per peer and server port, raised when at least 1% of the connections (and at least one) were retried.
/// Warning. A connection seen again after DNAT counts once, under the Service address. Caused by
/// <c>tcp.connection-churn</c> on the same peer and port (SNAT ports held in TIME_WAIT).
/// </summary>
public sealed class TcpConnectRetriedAnalyzer : IAnalyzer<CaptureContext>
{
    public const double MinShare = 0.01;
    private const int MaxExamples = 3;

    public string Id => FindingIds.TcpConnectRetried;

    public string Title => "TCP connects that needed the SYN sent again";

    public IEnumerable<Finding> Analyze(CaptureContext context)
    {
        var evidence = context.Evidence;
        var churning = TcpConnectionChurnAnalyzer.ChurningPeers(evidence).Select(p => p.Server).ToHashSet();
        var peers = evidence.PodTcpGroups()
            .GroupBy(g => (Peer: evidence.IsPod(g.Client) ? g.Server.Address : g.Client, g.Server.Port, PodIsClient: evidence.IsPod(g.Client)))
            .Select(g => (g.Key.Peer, g.Key.Port, g.Key.PodIsClient, Groups: g.ToList()))
            .Where(p => p.Groups.Sum(g => g.RetriedConnects) > 0 && p.Groups.Sum(g => g.RetriedConnects) >= MinShare * p.Groups.Sum(g => g.Established))
            .OrderBy(p => p.Peer, AddressOrder.Instance).ThenBy(p => p.Port);
        foreach (var (peer, port, podIsClient, groups) in peers)
        {
            yield return Judge(evidence, peer, port, podIsClient, groups, churning);
        }
    }

    private Finding Judge(CaptureEvidence evidence, NetAddress peer, ushort port, bool podIsClient, List<TcpConnectGroup> groups, HashSet<WireEndpoint> churning)
    {
        long retried = groups.Sum(g => g.RetriedConnects);
        long established = groups.Sum(g => g.Established);
        long synAckLost = groups.Sum(g => g.SynAckLost);
        long total = groups.Sum(g => g.RetryDelayTotalNs);
        long longest = groups.Max(g => g.RetryDelayMaxNs);
        var display = evidence.Describe(peer);
        var endpoint = WireText.Endpoint(peer, port);
        var between = podIsClient ? $"from the pod to {endpoint}" : $"from {display} to the pod's port {port}";
        var client = podIsClient ? "the pod" : display;
        var lines = new List<string>
        {
            $"{retried} of {WireText.Count(established, "connection")} {between} opened only after the SYN was sent again:"
            + $" {WireText.Duration(total)} lost in all, {WireText.Duration(longest)} the longest",
        };
        if (synAckLost > 0)
        {
            lines.Add($"{synAckLost} of them: the SYN-ACK is in the capture, yet {client} sent its SYN again: the SYN-ACK reached the node but not {client}");
        }

        if (retried > synAckLost)
        {
            lines.Add($"{retried - synAckLost} of them: no SYN-ACK answered the first SYN: the SYN was dropped on the way or by the server"
                + " (a full accept queue, a conntrack insert failure, a policer), or the SYN-ACK was lost before the capture point");
        }

        bool churn = podIsClient && churning.Contains(new WireEndpoint(peer, port));
        if (churn)
        {
            lines.Add($"the pod opens short-lived connections to {endpoint} at a high rate ({FindingIds.TcpConnectionChurn}): ports held in TIME_WAIT"
                + " run a NAT in between short, and its SYNs are dropped until one frees");
        }

        foreach (var connection in groups.SelectMany(g => g.RetriedExamples).OrderBy(c => c.FirstTimeNs).ThenBy(c => c.FirstFrame).Take(MaxExamples))
        {
            var syns = string.Join(", ", connection.SynTimesNs.Select(WireText.Clock));
            lines.Add($"{connection.Client} → {connection.Server}: {connection.SynAttempts.ToString(CultureInfo.InvariantCulture)} SYNs at {syns}"
                + $" ({WireText.Frame(connection.FirstFrame, evidence.FileOf(connection))}), the SYN-ACK at {WireText.Clock(connection.SynAckNs!.Value)}"
                + $", {WireText.Duration(connection.SynAckNs.Value - connection.SynTimesNs[0])} after the first SYN");
        }

        return new Finding(
            Id,
            Severity.Warning,
            $"{retried} of {WireText.Count(established, "connect")} {between} needed the SYN sent again, each waiting a second or more",
            podIsClient ? (evidence.NamesOf(peer).Count == 0 ? endpoint : $"{endpoint} ({string.Join(", ", evidence.NamesOf(peer))})") : $"{display} → the pod's port {port}",
            lines,
            Remediation(evidence, peer, port, podIsClient, synAckLost > 0, retried > synAckLost))
        {
            CausedBy = churn ? [FindingIds.TcpConnectionChurn] : [],
        };
    }

    private static string Remediation(CaptureEvidence evidence, NetAddress peer, ushort port, bool podIsClient, bool synAckLost, bool synLost)
    {
        var pod = evidence.Pod.Ips.Count > 0 ? evidence.Pod.Ips[0].ToString() : "<pod-ip>";
        var lines = new List<string>();
        if (synLost)
        {
            lines.Add(podIsClient
                ? $"SYNs from the pod to {peer}:{port} were dropped. On the server, a full accept queue drops them; on the node, conntrack failing to insert an entry (SNAT port collisions) does:"
                : $"SYNs to the pod's port {port} were dropped: most often the pod's accept queue is full (the app accepts connections too slowly for its backlog):");
            lines.Add(podIsClient
                ? $"  nstat -az TcpExtListenOverflows TcpExtListenDrops   # on {peer}: a growing count is its accept queue overflowing"
                : "  nsenter -t <pod-pid> -n nstat -az TcpExtListenOverflows TcpExtListenDrops   # in the pod's network namespace: a growing count is its accept queue overflowing");
            lines.Add(podIsClient
                ? $"  ss -ltn 'sport = :{port}'   # on {peer}: Recv-Q near Send-Q is a full backlog (raise it, or accept faster)"
                : $"  nsenter -t <pod-pid> -n ss -ltn 'sport = :{port}'   # Recv-Q near Send-Q is a full backlog (raise the app's backlog and net.core.somaxconn)");
            lines.Add("  conntrack -S   # on the node: insert_failed or drop counts that grow (SNAT port races: fully random port allocation helps)");
            lines.Add("  tc -s qdisc show; ip -s link show   # drops on the node's interfaces");
        }

        if (synAckLost)
        {
            lines.Add($"SYN-ACKs reached the node but not {(podIsClient ? "the pod" : peer.ToString())}: look for what drops them on the way in:");
            lines.Add("  sysctl -a 2>/dev/null | grep '\\.rp_filter'   # strict reverse-path filtering (1) drops replies that arrive on another interface than the route back");
            lines.Add("  conntrack -S   # invalid counts that grow: replies conntrack does not match to the connection");
            lines.Add("  nft list ruleset | grep -iE 'drop|reject'; kubectl get networkpolicy -A   # rules and policies that drop the reply");
            lines.Add($"  ip route get {peer} from {pod}   # the path the pod's packets take, to compare with the interface the replies come in on");
        }

        return string.Join('\n', lines);
    }
}
