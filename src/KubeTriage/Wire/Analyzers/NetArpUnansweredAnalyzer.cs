using KubeTriage.Capture.Flows;
using KubeTriage.Capture.Primitives;
using KubeTriage.Findings;

namespace KubeTriage.Wire.Analyzers;

/// <summary>
/// <c>net.arp-unanswered</c>: ARP requests for an address went unanswered on a link: nothing there has that address
/// (a gateway or peer missing from the subnet, a secondary NIC on the wrong subnet or VLAN, an address moved to another
/// host, proxy ARP for a pod's gateway switched off). The kernel holds the packets for the address until ARP resolves
/// and then drops them, so they never show in a capture: a connect that "gets no reply" may never have left the node.
/// One finding per address asked for, raised at <see cref="MinRequests"/> requests without any reply (Linux asks three
/// times before it gives up). Critical when the pod asked, or when the pod talked to the address or was sent to it by
/// DNS; warning otherwise.
/// </summary>
public sealed class NetArpUnansweredAnalyzer : IAnalyzer<CaptureContext>
{
    public const int MinRequests = 3;

    public string Id => FindingIds.NetArpUnanswered;

    public string Title => "ARP requests nobody answered";

    public IEnumerable<Finding> Analyze(CaptureContext context)
    {
        var evidence = context.Evidence;
        var targets = evidence.Arp
            .GroupBy(a => a.Target)
            .Where(t => t.Sum(a => a.Replies) == 0 && t.Sum(a => a.Requests) >= MinRequests)
            .OrderBy(t => t.Key, AddressOrder.Instance);
        foreach (var target in targets)
        {
            yield return Judge(evidence, target.Key, target.OrderBy(a => a.FirstRequestNs).ToList());
        }
    }

    private Finding Judge(CaptureEvidence evidence, NetAddress target, List<ArpResolution> requests)
    {
        bool podAsked = requests.Any(a => evidence.IsPod(a.Requester));
        var peer = evidence.Peer(target);
        var answer = evidence.DnsAnswers.FirstOrDefault(a => a.Addresses.Contains(target.ToString()));
        bool podsPeer = peer is not null || answer is not null;
        var lines = requests.Select(a =>
            $"who-has {target} tell {a.Requester} on {InterfaceName(evidence, a)}: {WireText.Count(a.Requests, "request")}"
            + (a.Requests > 1 ? $" from {WireText.Clock(a.FirstRequestNs)} to {WireText.Clock(a.LastRequestNs)}" : $" at {WireText.Clock(a.FirstRequestNs)}")
            + $" ({WireText.Frame(a.FirstRequestFrame, a.File)}), no reply").ToList();
        if (podAsked)
        {
            lines.Add($"the pod itself asked: {target} is its gateway or a peer on its own subnet, and nothing on the pod's link answers for it");
        }

        if (peer is not null)
        {
            lines.Add($"the capture has {WireText.Count(peer.Packets, "packet")} between the pod and {peer.Display}: those that reached the wire went another way, or before the address went missing");
        }
        else if (answer is not null)
        {
            lines.Add($"DNS sent the pod there ({answer.Server} answered {answer.Name} → {string.Join(", ", answer.Addresses)} at {WireText.Clock(answer.FirstTimeNs)}),"
                + $" yet no packet between the pod and {target} is in the capture: the kernel held them for the ARP answer that never came, then dropped them");
        }

        var iface = InterfaceName(evidence, requests[0]);
        return new Finding(
            Id,
            podAsked || podsPeer ? Severity.Critical : Severity.Warning,
            $"Nothing answers ARP for {target} on {iface}: packets to it cannot leave ({requests.Sum(a => a.Requests)} requests, no reply)",
            target.ToString(),
            lines,
            $"No host on {iface}'s link answers for {target}: check that the address is configured, up, and on this subnet and VLAN:\n"
            + $"  ip neigh show {target}   # FAILED or INCOMPLETE on the asking host\n"
            + $"  arping -c 3 -I {iface} {target}   # ask again from the node; silence means nobody on the link has it\n"
            + $"  ip -br addr show; ip route get {target}   # the node's addresses and the route: should {target} be on this link at all?\n"
            + "  for a pod's gateway (Calico's 169.254.1.1): sysctl net.ipv4.conf.<pod-veth>.proxy_arp   # the host answers it by proxy ARP; 0 breaks every pod on the veth");
    }

    private static string InterfaceName(CaptureEvidence evidence, ArpResolution arp) =>
        evidence.Interface(arp.InterfaceId)?.Name
        ?? (evidence.InterfaceFiles.TryGetValue(arp.InterfaceId, out var file) ? Path.GetFileNameWithoutExtension(file) : Path.GetFileNameWithoutExtension(arp.File));
}
