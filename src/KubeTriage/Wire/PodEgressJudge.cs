namespace KubeTriage.Wire;

/// <summary>
/// Tells, from the capture alone, whether the pod's packets leave through a NIC other than the one that
/// carries the pod subnet. The pod's own link (its veth on the node) is set aside: known by name (veth*,
/// eni*, cali*, lxc*, …) or, when names are lost (a cooked <c>any</c> capture names interfaces by index),
/// as the interface that carries every packet the pod sent on the others together. A node NIC carries
/// the pod subnet when replies to the pod arrive on it or other addresses of the pod's /24 (/64) appear on
/// it. A NIC is wrong when the pod's packets leave through it and nothing comes back to the pod on it,
/// while another node NIC carries the pod subnet — the picture of a missing policy route: requests leave
/// via the node subnet's NIC and the network drops the replies. When the node's <c>ip -j addr</c> was given,
/// a NIC whose address lies in the pod's subnet carries it too, even if the capture saw nothing on it (a
/// capture taken while every reply is dropped); such a NIC is never the wrong one. With one node NIC
/// captured, or none that shows the pod subnet, nothing can be judged and the verdict is empty.
/// </summary>
public static class PodEgressJudge
{
    /// <summary>
    /// The verdict: <see cref="Wrong"/> NICs the pod's packets left by, the captured NICs that carry the pod subnet
    /// (<see cref="PodSubnet"/>), and the node NICs whose address places them in the pod's subnet
    /// (<see cref="PodSubnetByAddress"/>, from the node's <c>ip -j addr</c>, whether or not the capture saw them).
    /// </summary>
    public sealed record Verdict(
        IReadOnlyList<InterfaceEvidence> Wrong,
        IReadOnlyList<InterfaceEvidence> PodSubnet,
        IReadOnlyList<InterfaceEvidence> NodeNics,
        IReadOnlyList<NodeNicSubnet> PodSubnetByAddress)
    {
        public bool IsWrong => Wrong.Count > 0;

        /// <summary>Every NIC known to carry the pod subnet: the captured ones by name, then the node's by address.</summary>
        public IReadOnlyList<string> PodSubnetNames =>
            PodSubnet.Select(i => i.Name)
                .Concat(PodSubnetByAddress.Select(s => s.Nic).Where(nic => !PodSubnet.Any(i => OwnNic(i) == nic)))
                .Distinct(StringComparer.Ordinal)
                .ToList();

        public bool IsWrongInterface(string name) => Wrong.Any(w => w.Name == name);

        public bool IsNodeNic(string name) => NodeNics.Any(n => n.Name == name);
    }

    public static Verdict Judge(CaptureEvidence evidence)
    {
        var nics = NodeNics(evidence.Interfaces);
        var byAddress = evidence.NodeSubnets.Where(s => evidence.Pod.Ips.Any(s.Contains)).ToList();
        bool HoldsPodSubnet(InterfaceEvidence nic) => byAddress.Any(s => s.Nic == OwnNic(nic));

        var podSubnet = nics.Where(i => i.ToPodPackets > 0 || i.PodSubnetPackets > 0 || HoldsPodSubnet(i)).ToList();
        if (podSubnet.Count == 0 && byAddress.Count == 0)
        {
            return new Verdict([], [], nics, []);
        }

        var wrong = nics
            .Where(i => i.FromPodPackets > 0 && i.ToPodPackets == 0 && i.PodSubnetPackets == 0 && !HoldsPodSubnet(i))
            .ToList();
        return new Verdict(wrong, podSubnet, nics, byAddress);
    }

    /// <summary>A captured interface's NIC name as the node knows it: <c>any#eth1</c>, <c>stdin#eth1</c> and <c>eth1</c> are eth1.</summary>
    public static string OwnNic(InterfaceEvidence nic) => InterfaceEvidence.OwnName(InterfaceEvidence.DisplayName(nic.Name));

    /// <summary>
    /// The captured interfaces that are node NICs, not the pod's own link, <c>lo</c> or <c>any</c>. Within one
    /// file (one vantage point, e.g. a cooked <c>any</c> capture), an interface that carries at least as many
    /// of the pod's packets as the file's other interfaces together, while at least two others carry some,
    /// is the pod's link.
    /// </summary>
    public static IReadOnlyList<InterfaceEvidence> NodeNics(IReadOnlyList<InterfaceEvidence> interfaces)
    {
        var candidates = interfaces.Where(i => i.IsNodeNic).ToList();
        return candidates.Where(i => !LooksLikePodLink(i, candidates.Where(o => o != i && o.File == i.File).ToList())).ToList();
    }

    private static bool LooksLikePodLink(InterfaceEvidence candidate, IReadOnlyList<InterfaceEvidence> sameFile) =>
        candidate.FromPodPackets > 0
        && sameFile.Count(o => o.FromPodPackets > 0) >= 2
        && candidate.FromPodPackets >= sameFile.Sum(o => o.FromPodPackets);
}
