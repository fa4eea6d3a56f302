using KubeTriage.Capture.Primitives;

namespace KubeTriage.Wire;

/// <summary>Numeric address order, IPv4 before IPv6: how lists of addresses are sorted for stable output.</summary>
public sealed class AddressOrder : IComparer<NetAddress>
{
    public static AddressOrder Instance { get; } = new();

    public int Compare(NetAddress x, NetAddress y)
    {
        if (x.IsV4 != y.IsV4)
        {
            return x.IsV4 ? -1 : 1;
        }

        var high = x.High.CompareTo(y.High);
        return high != 0 ? high : x.Low.CompareTo(y.Low);
    }
}
