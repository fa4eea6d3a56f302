using System.Net;
using System.Net.Sockets;

namespace KubeTriage.Node;

/// <summary>
/// Linux policy routing over collected rules and routes, for offline evidence where no kernel can be asked:
/// rules in priority order (from, to, iif, oif, fwmark, not; lookup, goto, nop, unreachable, blackhole, prohibit,
/// suppress_prefixlength), and in each table the longest matching prefix, then the lowest metric; a throw route or
/// a table with no match moves on to the next rule. Selectors it cannot evaluate (ipproto, ports, uid ranges) make
/// that rule not match, and the result says so. Pure: no IO.
/// </summary>
public static class PolicyRoutingSimulator
{
    private static readonly PolicyRule[] DefaultRulesV4 =
    [
        DefaultRule(0, "local", IpPrefix.AnyV4),
        DefaultRule(32766, "main", IpPrefix.AnyV4),
        DefaultRule(32767, "default", IpPrefix.AnyV4),
    ];

    private static readonly PolicyRule[] DefaultRulesV6 =
    [
        DefaultRule(0, "local", IpPrefix.AnyV6),
        DefaultRule(32766, "main", IpPrefix.AnyV6),
    ];

    public static RouteLookup Lookup(IReadOnlyList<PolicyRule> rules, IReadOnlyList<Route> routes, RouteQuery query)
    {
        var v6 = query.Destination.AddressFamily == AddressFamily.InterNetworkV6;
        var family = v6 ? "inet6" : "inet";
        var familyRules = rules.Where(r => IpPrefix.IsV6(r.From) == v6).OrderBy(r => r.Priority).ToList();
        if (familyRules.Count == 0)
        {
            // ip rule lists one family; with none for this family the kernel's defaults apply.
            familyRules = [.. v6 ? DefaultRulesV6 : DefaultRulesV4];
        }

        var source = query.Source ?? (v6 ? IPAddress.IPv6Any : IPAddress.Any);
        var skipped = new List<string>();
        var i = 0;
        var steps = 0;
        while (i < familyRules.Count && steps++ < (familyRules.Count * 2) + 8)
        {
            var rule = familyRules[i];
            if (rule.Unmodelled.Count > 0)
            {
                skipped.Add($"rule {rule.Priority} not evaluated ({string.Join(", ", rule.Unmodelled)})");
                i++;
                continue;
            }

            if (Matches(rule, query, source) == rule.Not)
            {
                i++;
                continue;
            }

            switch (rule.Action)
            {
                case PolicyRule.Lookup:
                    var route = Best(routes, rule.Table!, family, query.Destination);
                    if (route is null || route.Type == "throw"
                        || (rule.SuppressPrefixLength is { } suppress && route.Destination.PrefixLength <= suppress))
                    {
                        i++;
                        continue;
                    }

                    return FromRoute(query, source, rule, route, skipped);
                case "goto":
                    var target = familyRules.FindIndex(r => r.Priority >= (rule.GotoPriority ?? int.MaxValue));
                    i = target <= i ? i + 1 : target;
                    continue;
                case "nop":
                    i++;
                    continue;
                default:
                    return Terminal(query, source, rule.Action, null, Via(rule, null, skipped));
            }
        }

        return Result(query, source, "error", null, null, null, "Network is unreachable", Via(null, null, skipped));
    }

    private static bool Matches(PolicyRule rule, RouteQuery query, IPAddress source)
    {
        if (!IpPrefix.Holds(rule.From, source) && rule.From.PrefixLength != 0)
        {
            return false;
        }

        if (!IpPrefix.Holds(rule.To, query.Destination) && rule.To.PrefixLength != 0)
        {
            return false;
        }

        if (rule.Iif is not null && rule.Iif != (query.Iif ?? "lo"))
        {
            return false;
        }

        // Forwarded packets have no output interface when rules are evaluated.
        if (rule.Oif is not null)
        {
            return false;
        }

        if (rule.FwMark is { } mark && ((query.FwMark ^ mark) & (rule.FwMask ?? uint.MaxValue)) != 0)
        {
            return false;
        }

        return true;
    }

    private static Route? Best(IReadOnlyList<Route> routes, string table, string family, IPAddress destination) =>
        routes
            .Where(r => r.Table == table && r.Family == family && IpPrefix.Holds(r.Destination, destination))
            .OrderByDescending(r => r.Destination.PrefixLength)
            .ThenBy(r => r.Metric ?? 0)
            .FirstOrDefault();

    private static RouteLookup FromRoute(RouteQuery query, IPAddress source, PolicyRule rule, Route route, List<string> skipped)
    {
        var via = Via(rule, route, skipped);
        return route.Type switch
        {
            Route.Unicast => Result(query, source, Route.Unicast, route.Dev, route.Gateway, route.Table, null, via),
            "local" => Result(query, source, "local", "lo", null, route.Table, null, via),
            "unreachable" or "prohibit" or "blackhole" => Terminal(query, source, route.Type, route.Table, via),
            _ => Result(query, source, route.Type, route.Dev, route.Gateway, route.Table, null, via),
        };
    }

    private static RouteLookup Terminal(RouteQuery query, IPAddress source, string type, string? table, string via) => type switch
    {
        "unreachable" => Result(query, source, "unreachable", null, null, table, "Network is unreachable", via),
        "prohibit" => Result(query, source, "prohibit", null, null, table, "Permission denied", via),
        _ => Result(query, source, type, null, null, table, null, via),
    };

    private static RouteLookup Result(RouteQuery query, IPAddress source, string type, string? dev, IPAddress? gateway, string? table, string? error, string via) =>
        new(query.Destination, source, query.Iif, RouteLookup.Simulated, type, dev, gateway, table, error) { Via = via };

    private static string Via(PolicyRule? rule, Route? route, List<string> skipped)
    {
        var parts = new List<string>();
        parts.Add(rule is null ? "no rule matched" : $"rule {rule.Text}");
        if (route is not null)
        {
            parts.Add($"route {route.Text}" + (route.Table == "main" ? string.Empty : $" (table {route.Table})"));
        }

        parts.AddRange(skipped);
        return string.Join("; ", parts);
    }

    private static PolicyRule DefaultRule(int priority, string table, IPNetwork any) =>
        new(priority, false, any, any, null, null, null, null, PolicyRule.Lookup, table, null, null, []);
}
