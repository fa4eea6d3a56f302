using System.Globalization;

namespace KubeTriage.Node;

/// <summary>
/// A PCI function from <c>/sys/bus/pci/devices/&lt;bdf&gt;</c>: its class, ids, bound driver and the netdevs under it
/// (at <c>&lt;bdf&gt;/net/*</c> for most NICs, at <c>&lt;bdf&gt;/virtio*/net/*</c> for virtio-net).
/// </summary>
public sealed record PciFunction(
    string Address,
    string Class,
    string Vendor,
    string Device,
    string? Driver,
    IReadOnlyList<string> NetDevs)
{
    /// <summary>Base class 0x02: network controller (Ethernet 0x0200, other 0x0280, InfiniBand 0x0207…).</summary>
    public bool IsNetwork =>
        uint.TryParse(Class.AsSpan(Class.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? 2 : 0),
            NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var value)
        && value >> 16 == 0x02;

    public string Ids => $"{Trim(Vendor)}:{Trim(Device)}";

    /// <summary>A name for the ids commonly found on cloud VMs, or null.</summary>
    public string? Model => Ids switch
    {
        "1d0f:ec20" or "1d0f:ec21" => "Amazon ENA (VF)",
        "1d0f:0ec2" or "1d0f:1ec2" => "Amazon ENA (PF)",
        "1af4:1041" or "1af4:1000" => "virtio-net",
        "8086:100e" or "8086:100f" or "8086:10d3" => "Intel e1000",
        "15b3:1016" or "15b3:1018" or "15b3:101e" => "Mellanox ConnectX (VF)",
        "1414:00ba" => "Microsoft Azure MANA",
        _ => null,
    };

    public bool IsVirtio => Trim(Vendor) == "1af4";

    /// <summary>The kernel module that drives this function's netdev, when known (for a remediation).</summary>
    public string? Module => Trim(Vendor) switch
    {
        "1d0f" => "ena",
        "1af4" => "virtio_net",
        "8086" => "e1000",
        "15b3" => "mlx5_core",
        _ => null,
    };

    private static string Trim(string id) =>
        (id.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? id[2..] : id).ToLowerInvariant();
}
