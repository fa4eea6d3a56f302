namespace KubeTriage.Wire;

/// <summary>
/// Tells, from the capture alone, whether the pod's packets leave through a NIC other than the one that
/// carries the pod subnet. The pod's own link (its veth on the node) is set aside: known by name (veth*,
/// eni*, cali*, lxc*, …) or, when names are lost (a cooked <c>any</c> capture names interfaces by index),
/// as the interface that carries every packet the pod sent on the others together. A node NIC carries
/// the pod subnet when replies to the pod arrive on it or other addresses of the pod's /24 (/64) appear on
/// it. A NIC is wrong when the pod's packets leave through it and nothing comes back to the pod on it,
/// while another node NIC carries the pod subnet — the picture of a missing policy route: requests leave
/// via the node subnet's NIC and the network drops the replies. With one node NIC captured, or none that
/// shows the pod subnet, nothing can be judged and the verdict is empty.
/// </summary>
public static class PodEgressJudge
{
    public sealed record Verdict(
        IReadOnlyList<InterfaceEvidence> Wrong,
        IReadOnlyList<InterfaceEvidence> PodSubnet,
        IReadOnlyList<InterfaceEvidence> NodeNics)
    {
        public bool IsWrong => Wrong.Count > 0;

        public bool IsWrongInterface(string name) => Wrong.Any(w => w.Name == name);

        public bool IsNodeNic(string name) => NodeNics.Any(n => n.Name == name);
    }

    public static Verdict Judge(CaptureEvidence evidence)
    {
        var nics = NodeNics(evidence.Interfaces);
        var podSubnet = nics.Where(i => i.ToPodPackets > 0 || i.PodSubnetPackets > 0).ToList();
        if (podSubnet.Count == 0)
        {
            return new Verdict([], [], nics);
        }

        var wrong = nics
            .Where(i => i.FromPodPackets > 0 && i.ToPodPackets == 0 && i.PodSubnetPackets == 0)
            .ToList();
        return new Verdict(wrong, podSubnet, nics);
    }

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
