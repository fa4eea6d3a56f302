using KubeTriage.Capture.Primitives;
using KubeTriage.Findings;

namespace KubeTriage.Wire.Analyzers;

/// <summary>
/// <c>net.path-mtu</c>: a router or host on the way said the pod's packets, or packets to the pod, were larger
/// than a link it must send them over (ICMP "fragmentation needed" with the next-hop MTU, ICMPv6 "packet too big").
/// On a pod network this is an MTU set too high for the overlay or the path (a VXLAN or IP-in-IP header not taken
/// off the pod's MTU, a VPN or dedicated line with a smaller MTU): every new path costs the sender a round trip to
/// learn it, and where a firewall drops these ICMP messages, large transfers hang while small requests work.
/// One finding per peer and direction. Warning. Linked from <c>tcp.retransmissions</c> on the same peer.
/// </summary>
public sealed class NetPathMtuAnalyzer : IAnalyzer<CaptureContext>
{
    public string Id => FindingIds.NetPathMtu;

    public string Title => "Packets larger than the path's MTU";

    public IEnumerable<Finding> Analyze(CaptureContext context)
    {
        var evidence = context.Evidence;
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

            lines.Add(fromPod
                ? "the pod's kernel lowers its packet size for this path after each such error; a new connection or a path where these ICMP messages are dropped stalls on large packets"
                : $"{peer}'s packets to the pod did not fit: the node or a router before it sent the errors back to {peer}");
            var pod = evidence.Pod.Ips.Count > 0 ? evidence.Pod.Ips[0].ToString() : "<pod-ip>";
            var limit = mtu is { } value ? value.ToString(System.Globalization.CultureInfo.InvariantCulture) : "<mtu>";
            yield return new Finding(
                Id,
                Severity.Warning,
                $"Packets {direction} are larger than the path allows" + (mtu is { } v ? $" (MTU {v})" : string.Empty),
                display,
                lines,
                $"A link on the way carries at most {limit} bytes per packet, less than the pod network sends. Set the pod network's MTU to fit"
                + " (the CNI's MTU setting, minus the overlay's header: VXLAN 50 bytes, IP-in-IP 20, WireGuard 80), or raise the smaller link's; check:\n"
                + "  ip link show                                   # the MTUs of the node's NICs, overlay devices and the pod's veth\n"
                + $"  kubectl exec -n <namespace> <pod> -- cat /sys/class/net/eth0/mtu   # the pod's MTU\n"
                + $"  tracepath -n {peer}                             # the path MTU, hop by hop (from the pod or the node)\n"
                + $"  ping -M do -s {(mtu is { } p ? p - 28 : 1472)} -c 3 {peer}                   # from {pod}: the largest packet that passes unfragmented");
        }
    }

    private static IEnumerable<IcmpErrorGroup> TooBig(CaptureEvidence evidence) =>
        evidence.IcmpErrors.Where(e => e.IsTooBig && evidence.IsPod(e.OriginalSource) != evidence.IsPod(e.OriginalDestination.Address));
}
