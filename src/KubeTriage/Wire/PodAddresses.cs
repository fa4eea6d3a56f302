using KubeTriage.Capture.Primitives;

namespace KubeTriage.Wire;

/// <summary>
/// The pod's own addresses: given with <c>--pod-ip</c>, or inferred from the capture; <see cref="Reason"/>
/// says which and why, so a reader can check it.
/// </summary>
public sealed record PodAddresses(IReadOnlyList<NetAddress> Ips, bool Inferred, string Reason)
{
    public static PodAddresses None { get; } = new([], true, "no pod address given and none could be inferred (the capture holds no IP traffic)");

    public bool Contains(NetAddress address)
    {
        foreach (var ip in Ips)
        {
            if (ip == address)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True for an address in the same /24 (IPv4) or /64 (IPv6) as a pod address, other than the pod's own.</summary>
    public bool InPodSubnet(NetAddress address)
    {
        foreach (var ip in Ips)
        {
            if (ip == address || ip.IsV4 != address.IsV4)
            {
                continue;
            }

            if (ip.IsV4 ? (ip.Low >> 8) == (address.Low >> 8) : ip.High == address.High)
            {
                return true;
            }
        }

        return false;
    }

    public override string ToString() => string.Join(", ", Ips);
}
