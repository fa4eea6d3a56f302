using System.Globalization;
using System.Text.RegularExpressions;

namespace KubeTriage.Node;

/// <summary>
/// The AWS VPC CNI's table numbering: ipamd gives the NIC with device number N (card 0) route table N+1 (eth1 →
/// table 2), and ec2-net-utils uses 10000+N. Nodes that carry ec2-net-utils altnames ("device-number-1") are matched
/// by altname, nodes with ethN names by name; with other names (ens5…) and no altnames the mapping is unknown.
/// </summary>
public static partial class VpcCniNumbering
{
    /// <summary>
    /// The interface a table needs, as a name to show ("eth1" or "device-number-1") and the interface when present;
    /// null when the table does not follow the numbering or the node's naming gives no mapping.
    /// </summary>
    public static ExpectedNic? ForTable(string table, IReadOnlyList<NetInterface> interfaces)
    {
        if (!int.TryParse(table, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return null;
        }

        int device;
        if (id is >= 2 and < 254)
        {
            device = id - 1;
        }
        else if (id is > 10000 and < 10100)
        {
            device = id - 10000;
        }
        else
        {
            return null;
        }

        if (interfaces.Any(i => i.AltNames.Any(a => DeviceNumberAltName().IsMatch(a))))
        {
            var altName = $"device-number-{device}";
            return new ExpectedNic(altName, device, interfaces.FirstOrDefault(i => i.AltNames.Contains(altName)));
        }

        if (interfaces.Any(i => EthName().IsMatch(i.Name)))
        {
            var name = $"eth{device}";
            return new ExpectedNic(name, device, interfaces.FirstOrDefault(i => i.Name == name));
        }

        return null;
    }

    [GeneratedRegex(@"^device-number-\d+$")]
    private static partial Regex DeviceNumberAltName();

    [GeneratedRegex(@"^eth\d+$")]
    private static partial Regex EthName();
}

/// <summary>The NIC a policy table belongs to: how to call it, its device number, and the interface if it exists.</summary>
public sealed record ExpectedNic(string Name, int DeviceNumber, NetInterface? Present);
