using System.Net;
using KubeTriage.Capture.Primitives;

namespace KubeTriage.Wire;

/// <summary>
/// A subnet a node NIC holds an address in, from the node's <c>ip -j addr</c> (e.g. <c>eth1</c> with
/// <c>198.18.1.10/24</c>): tells which NIC carries the pod subnet even when the capture saw nothing on it.
/// </summary>
public sealed record NodeNicSubnet(string Nic, string Address, IPNetwork Subnet)
{
    public bool Contains(NetAddress address) => Subnet.Contains(address.ToIPAddress());

    public override string ToString() => $"{Nic} {Address}";
}
