namespace KubeTriage.Wire;

/// <summary>
/// Tells, from the capture alone, whether the pod's packets leave through a NIC other than the one that
/// carries the pod subnet. A node NIC carries the pod subnet when replies to the pod arrive on it or other
/// addresses of the pod's /24 (/64) appear on it. A NIC is wrong when the pod's packets leave through it
/// and nothing comes back to the pod on it, while another node NIC carries the pod subnet — the picture of
/// a missing policy route: requests leave via the node subnet's NIC and the network drops the replies.
/// With one interface captured nothing can be judged, and the verdict is empty.
/// </summary>
public static class PodEgressJudge
{
    public sealed record Verdict(IReadOnlyList<InterfaceEvidence> Wrong, IReadOnlyList<InterfaceEvidence> PodSubnet)
    {
        public bool IsWrong => Wrong.Count > 0;

        public bool IsWrongInterface(string name) => Wrong.Any(w => w.Name == name);
    }

    public static Verdict Judge(CaptureEvidence evidence)
    {
        var nics = evidence.Interfaces.Where(i => i.IsNodeNic).ToList();
        var podSubnet = nics.Where(i => i.ToPodPackets > 0 || i.PodSubnetPackets > 0).ToList();
        if (podSubnet.Count == 0)
        {
            return new Verdict([], []);
        }

        var wrong = nics
            .Where(i => i.FromPodPackets > 0 && i.ToPodPackets == 0 && i.PodSubnetPackets == 0)
            .ToList();
        return new Verdict(wrong, podSubnet);
    }
}
