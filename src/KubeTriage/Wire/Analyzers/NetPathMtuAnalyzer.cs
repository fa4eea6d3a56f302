using System.Globalization;
using KubeTriage.Capture.Flows;
using KubeTriage.Capture.Primitives;
using KubeTriage.Findings;

namespace KubeTriage.Wire.Analyzers;

/// <summary>
/// <c>net.path-mtu</c>: packets between the pod and a peer are larger than a link on the way carries. On a pod network
/// this is an MTU set too high for the overlay or the path (a VXLAN or IP-in-IP header not taken off the pod's MTU, a
/// VPN or dedicated line with a smaller MTU). Two shapes:
/// <list type="bullet">
/// <item>a router or host on the way said so: ICMP "fragmentation needed" with the next-hop MTU, or ICMPv6 "packet too
/// big". Every new path costs the sender a round trip to learn it;</item>
/// <item>nobody said so (a firewall drops those ICMP messages): a black hole. On an established connection one large
/// segment is sent again and again at each retransmission timeout and never acknowledged, while the same sender's
/// smaller segments got through (<see cref="TcpStalledSegment.LooksLikeBlackHole"/>): large transfers hang while small
/// requests work.</item>
/// </list>
/// One finding per peer and direction. Warning. Linked from <c>tcp.retransmissions</c> on the same peer.
/// </summary>
public sealed class NetPathMtuAnalyzer : IAnalyzer<CaptureContext>
{
    public string Id => FindingIds.NetPathMtu;

    public string Title => "Packets larger than the path's MTU";

    private const int MaxExamples = 3;

    public IEnumerable<Finding> Analyze(CaptureContext context)
    {
        var holes = BlackHolePeers(context.Evidence).ToList();
        return FromIcmp(context.Evidence, holes).Concat(BlackHoles(context.Evidence, holes))
            .OrderBy(f => f.Peer, AddressOrder.Instance).ThenBy(f => f.FromPod ? 0 : 1).Select(f => f.Finding);
    }

    /// <summary>The peers (and directions) whose connections stalled on a segment that never got through, and no ICMP error said why.</summary>
    public static IEnumerable<BlackHole> BlackHolePeers(CaptureEvidence evidence)
    {
        var told = TooBig(evidence).Select(e => evidence.IsPod(e.OriginalSource) ? (e.OriginalDestination.Address, true) : (e.OriginalSource, false)).ToHashSet();
        return evidence.PodTcpGroups()
            .SelectMany(g => new[]
            {
                (Peer: evidence.IsPod(g.Client) ? g.Server.Address : g.Client, FromPod: evidence.IsPod(g.Client), Count: g.BlackHoleToServer, Group: g),
                (Peer: evidence.IsPod(g.Client) ? g.Server.Address : g.Client, FromPod: !evidence.IsPod(g.Client), Count: g.BlackHoleToClient, Group: g),
            })
            .Where(x => x.Count > 0)
            .GroupBy(x => (x.Peer, x.FromPod))
            .Select(x => new BlackHole(x.Key.Peer, x.Key.FromPod, x.Sum(y => y.Count), x.Select(y => y.Group).Distinct().ToList(), told.Contains((x.Key.Peer, x.Key.FromPod))))
            .OrderBy(b => b.Peer, AddressOrder.Instance).ThenBy(b => b.FromPod ? 0 : 1);
    }

    /// <summary>Connections between the pod and <paramref name="Peer"/> that stalled on a segment sent <paramref name="FromPod"/> (or to it).</summary>
    public sealed record BlackHole(NetAddress Peer, bool FromPod, long Connections, IReadOnlyList<TcpConnectGroup> Groups, bool IcmpSeen);

    private IEnumerable<(Finding Finding, NetAddress Peer, bool FromPod)> FromIcmp(CaptureEvidence evidence, List<BlackHole> holes)
    {
        var byPeer = TooBig(evidence)
            .GroupBy(e => (Peer: evidence.IsPod(e.OriginalSource) ? e.OriginalDestination.Address : e.OriginalSource, FromPod: evidence.IsPod(e.OriginalSource)))
            .OrderBy(g => g.Key.Peer, AddressOrder.Instance).ThenBy(g => g.Key.FromPod ? 0 : 1);
        foreach (var group in byPeer)
        {
            var (peer, fromPod) = group.Key;
            var errors = group.OrderBy(e => e.FirstTimeNs).ToList();
            var mtu = errors.Select(e => e.Mtu).Where(m => m is not null).Min();
            var display = evidence.Describe(peer);
            var direction = fromPod ? $"from the pod to {display}" : $"from {display} to the pod";
            var lines = new List<string>();
            foreach (var error in errors.Take(3))
            {
                lines.Add($"{error.Reporter} answered {WireText.Count(error.Count, "packet")} {error.OriginalSource} → {error.OriginalDestination} ({error.OriginalProtocol.ToString().ToLowerInvariant()})"
                    + $" with \"{error.Description}\"" + (error.Mtu is { } m ? $", next-hop MTU {m}" : string.Empty)
                    + $"; first at {WireText.Clock(error.FirstTimeNs)} ({WireText.Frame(error.FirstFrame, error.File)})");
            }

            if (errors.Count > 3)
            {
                lines.Add($"and {WireText.Count(errors.Count - 3, "more such error")}");
            }

            if (holes.FirstOrDefault(h => h.Peer == peer && h.FromPod == fromPod) is { } hole)
            {
                lines.Add($"{WireText.Count(hole.Connections, "connection")} stalled on a large segment sent again and again: {StallText(evidence, hole, Examples(evidence, hole).First())}");
            }

            lines.Add(fromPod
                ? "the pod's kernel lowers its packet size for this path after each such error; a new connection or a path where these ICMP messages are dropped stalls on large packets"
                : $"{peer}'s packets to the pod did not fit: the node or a router before it sent the errors back to {peer}");
            var pod = evidence.Pod.Ips.Count > 0 ? evidence.Pod.Ips[0].ToString() : "<pod-ip>";
            var limit = mtu is { } value ? value.ToString(System.Globalization.CultureInfo.InvariantCulture) : "<mtu>";
            yield return (new Finding(
                Id,
                Severity.Warning,
                $"Packets {direction} are larger than the path allows" + (mtu is { } v ? $" (MTU {v})" : string.Empty),
                display,
                lines,
                $"A link on the way carries at most {limit} bytes per packet, less than the pod network sends. Set the pod network's MTU to fit"
                + " (the CNI's MTU setting, minus the overlay's header: VXLAN 50 bytes, IP-in-IP 20, WireGuard 80), or raise the smaller link's; check:\n"
                + Checks(peer, pod, mtu is { } p ? p - 28 : 1472)), peer, fromPod);
        }
    }

    private IEnumerable<(Finding Finding, NetAddress Peer, bool FromPod)> BlackHoles(CaptureEvidence evidence, List<BlackHole> holes)
    {
        foreach (var hole in holes.Where(h => !h.IcmpSeen))
        {
            var (peer, fromPod) = (hole.Peer, hole.FromPod);
            var display = evidence.Describe(peer);
            var direction = fromPod ? $"from the pod to {display}" : $"from {display} to the pod";
            var examples = Examples(evidence, hole).ToList();
            var stalls = examples.Select(c => Stall(evidence, c, hole)).ToList();
            int largest = stalls.Max(s => s.Length);
            int passed = stalls.Max(s => s.LargestAcknowledgedBefore);
            long connections = hole.Groups.Sum(g => g.Established);
            var lines = examples.Take(MaxExamples).Select(c => StallText(evidence, hole, c)).ToList();
            lines.Add($"{hole.Connections} of {WireText.Count(connections, "established connection")} {(fromPod ? "from the pod to " : "from ")}{display}"
                + $"{(fromPod ? string.Empty : " to the pod")} stalled this way");
            lines.Add("no ICMP \"fragmentation needed\" or \"packet too big\" about these packets is in the capture: something on the path drops it,"
                + " so the sender never learns the smaller MTU and sends the same large segment until the connection times out");
            var pod = evidence.Pod.Ips.Count > 0 ? evidence.Pod.Ips[0].ToString() : "<pod-ip>";
            var sender = fromPod ? "the pod" : peer.ToString();
            yield return (new Finding(
                Id,
                Severity.Warning,
                $"{largest.ToString(CultureInfo.InvariantCulture)}-byte segments {direction} never get through while smaller ones do: a path-MTU black hole",
                display,
                lines,
                $"A link between the pod and {peer} carries smaller packets than {sender} sends (segments of {passed.ToString(CultureInfo.InvariantCulture)} bytes passed,"
                + $" {largest.ToString(CultureInfo.InvariantCulture)} did not), and the ICMP error that would tell the sender is dropped. Set the pod network's MTU to fit"
                + " (the CNI's MTU setting, minus the overlay's header: VXLAN 50 bytes, IP-in-IP 20, WireGuard 80), and let ICMP type 3 code 4 (IPv6: type 2)"
                + " through the firewalls and security groups on the path; until then `sysctl -w net.ipv4.tcp_mtu_probing=1` in the sender's network namespace"
                + " lets TCP find a size that passes. Check:\n"
                + Checks(peer, pod, 1472)), peer, fromPod);
        }
    }

    private static IEnumerable<TcpConnection> Examples(CaptureEvidence evidence, BlackHole hole) =>
        hole.Groups.SelectMany(g => g.BlackHoleExamples).Where(c => Stalled(evidence, c, hole) is not null).OrderBy(c => c.FirstTimeNs).ThenBy(c => c.FirstFrame);

    /// <summary>The client sends in the hole's direction when it is the pod and the hole is the pod's, or it is the peer and the hole the peer's.</summary>
    private static bool ClientSends(CaptureEvidence evidence, TcpConnection connection, BlackHole hole) =>
        evidence.IsPod(connection.Client.Address) == hole.FromPod;

    /// <summary>The connection's black-hole stall in the hole's direction, or null.</summary>
    private static TcpStalledSegment? Stalled(CaptureEvidence evidence, TcpConnection connection, BlackHole hole) =>
        (ClientSends(evidence, connection, hole) ? connection.StalledToServer : connection.StalledToClient) is { LooksLikeBlackHole: true } stall ? stall : null;

    private static TcpStalledSegment Stall(CaptureEvidence evidence, TcpConnection connection, BlackHole hole) => Stalled(evidence, connection, hole)!.Value;

    private static string StallText(CaptureEvidence evidence, BlackHole hole, TcpConnection connection)
    {
        var stall = Stall(evidence, connection, hole);
        bool clientSends = ClientSends(evidence, connection, hole);
        var (from, to) = clientSends ? (connection.Client, connection.Server) : (connection.Server, connection.Client);
        var end = stall.Acknowledged
            ? $"acknowledged only after a {stall.LastLength.ToString(CultureInfo.InvariantCulture)}-byte copy"
            : "never acknowledged";
        var before = stall.LargestAcknowledgedBefore > 0
            ? $"the largest segment acknowledged before was {stall.LargestAcknowledgedBefore.ToString(CultureInfo.InvariantCulture)} bytes"
            : "only the handshake's small packets had passed";
        return $"{from} → {to}: a {stall.Length.ToString(CultureInfo.InvariantCulture)}-byte segment sent again {WireText.Count(stall.Resends, "time")}"
            + $" from {WireText.Clock(stall.FirstResendNs)} ({WireText.Frame(stall.FirstResendFrame, evidence.FileOf(connection))}) to {WireText.Clock(stall.LastResendNs)},"
            + $" {end}; {before}";
    }

    private static string Checks(NetAddress peer, string pod, int pingSize) =>
        "  ip link show                                   # the MTUs of the node's NICs, overlay devices and the pod's veth\n"
        + "  kubectl exec -n <namespace> <pod> -- cat /sys/class/net/eth0/mtu   # the pod's MTU\n"
        + $"  tracepath -n {peer}                             # the path MTU, hop by hop (from the pod or the node)\n"
        + $"  ping -M do -s {pingSize.ToString(CultureInfo.InvariantCulture)} -c 3 {peer}                   # from {pod}: the largest packet that passes unfragmented";

    private static IEnumerable<IcmpErrorGroup> TooBig(CaptureEvidence evidence) =>
        evidence.IcmpErrors.Where(e => e.IsTooBig && evidence.IsPod(e.OriginalSource) != evidence.IsPod(e.OriginalDestination.Address));
}
