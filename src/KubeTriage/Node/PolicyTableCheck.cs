namespace KubeTriage.Node;

/// <summary>
/// Whether a policy table can carry pod traffic off the node: it needs a unicast default route whose device exists
/// and is up, and whose gateway is reachable on that device. Pure: reads evidence, shared by the analyzers so that
/// they agree on causes.
/// </summary>
public static class PolicyTableCheck
{
    public static TableVerdict Check(NodeEvidence evidence, string table)
    {
        var routes = evidence.RoutesIn(table).Where(r => r.IsV4).ToList();
        var defaults = routes.Where(r => r.IsDefault).ToList();
        var expected = VpcCniNumbering.ForTable(table, evidence.Interfaces);
        var usable = defaults.FirstOrDefault(r => r.Type == Route.Unicast);
        if (usable is null)
        {
            var why = routes.Count == 0
                ? $"table {table} is empty: no default route"
                : defaults.Count == 0
                    ? $"table {table} has no default route"
                    : $"table {table}'s default route is '{defaults[0].Text}', which carries no traffic";
            return new TableVerdict(table, false, why, routes, null, expected);
        }

        if (usable.Dev is { } dev && evidence.InterfacesKnown)
        {
            var link = evidence.Interface(dev);
            if (link is null)
            {
                return new TableVerdict(table, false, $"'{usable.Text}' leaves through {dev}, which does not exist", routes, dev, expected);
            }

            if (link.IsDown)
            {
                return new TableVerdict(table, false, $"'{usable.Text}' leaves through {dev}, which is {link.StateText}", routes, dev, expected);
            }
        }

        if (usable.Gateway is { } gateway && !usable.Flags.Contains("onlink") && usable.Dev is { } gatewayDev)
        {
            var onLink =
                evidence.Routes.Any(r => r.Dev == gatewayDev && r.Gateway is null && r.Type == Route.Unicast
                    && (r.Table == table || r.Table == "main") && !r.IsDefault && IpPrefix.Holds(r.Destination, gateway))
                || (evidence.Interface(gatewayDev)?.Subnets.Any(a => IpPrefix.Holds(a.Subnet, gateway)) ?? false);
            if (!onLink && evidence.InterfacesKnown)
            {
                return new TableVerdict(table, false,
                    $"'{usable.Text}': gateway {gateway} is not reachable on {gatewayDev} (no link route to it and not in {gatewayDev}'s subnets)",
                    routes, gatewayDev, expected);
            }
        }

        return new TableVerdict(table, true, $"'{usable.Text}'", routes, usable.Dev, expected);
    }
}

/// <summary>
/// The verdict on one policy table: usable or not and why, its routes, the device its default route names (if
/// any), and the NIC the VPC CNI numbering says the table belongs to.
/// </summary>
public sealed record TableVerdict(
    string Table,
    bool Usable,
    string Reason,
    IReadOnlyList<Route> Routes,
    string? DefaultDev,
    ExpectedNic? ExpectedNic)
{
    /// <summary>True when the table is broken because the NIC it needs is absent or down.</summary>
    public bool BrokenByMissingNic(NodeEvidence evidence)
    {
        if (Usable || !evidence.InterfacesKnown)
        {
            return false;
        }

        if (DefaultDev is { } dev && evidence.Interface(dev) is not { IsDown: false })
        {
            return true;
        }

        return ExpectedNic is { } nic && (nic.Present is null || nic.Present.IsDown);
    }
}
