using System.Text.Json;

namespace KubeTriage.Node;

/// <summary>
/// Parses <c>ip -j rule show</c>. Shapes seen from iproute2 6.1: <c>"src":"all"</c> for no source selector and
/// <c>"src":"198.18.9.0","srclen":24</c> for a prefix (a bare address is a host prefix); <c>"not":null</c> for an
/// inverted rule; <c>"fwmark":"0x80","fwmask":"0x80"</c> as hex text; <c>"table"</c> a name or a number as text;
/// <c>"action":"unreachable"</c> or <c>"goto":32766</c> instead of a table; <c>"iif_detached":null</c> when the
/// named interface does not exist.
/// </summary>
public static class IpRuleParser
{
    private static readonly string[] UnmodelledKeys =
        ["ipproto", "sport", "dport", "uid_start", "tos", "dsfield", "l3mdev", "tun_id", "realms", "flowlabel"];

    public static IpParseResult<PolicyRule> Parse(string? json)
    {
        if (!IpJson.TryParseArray(json, out var document, out var problem))
        {
            return IpParseResult<PolicyRule>.Unreadable(problem!);
        }

        using (document)
        {
            var items = new List<PolicyRule>();
            var problems = new List<string>();
            var n = 0;
            foreach (var entry in document!.RootElement.EnumerateArray())
            {
                n++;
                if (TryRead(entry, out var rule, out var why))
                {
                    items.Add(rule!);
                }
                else
                {
                    problems.Add($"rule {n}: {why}");
                }
            }

            // The kernel evaluates by priority; equal priorities keep their listed order (a stable sort).
            return new IpParseResult<PolicyRule>(items.OrderBy(r => r.Priority).ToList(), problems, true);
        }
    }

    private static bool TryRead(JsonElement entry, out PolicyRule? rule, out string? why)
    {
        rule = null;
        why = null;
        if (entry.ValueKind != JsonValueKind.Object)
        {
            why = "not an object";
            return false;
        }

        var priority = IpJson.Int(entry, "priority") ?? 0;
        var srcText = IpJson.String(entry, "src");
        var dstText = IpJson.String(entry, "dst");
        var v6 = (srcText?.Contains(':', StringComparison.Ordinal) ?? false) || (dstText?.Contains(':', StringComparison.Ordinal) ?? false);
        var any = v6 ? IpPrefix.AnyV6 : IpPrefix.AnyV4;
        var from = srcText is null ? any : IpPrefix.Parse(srcText, IpJson.Int(entry, "srclen"), v6);
        var to = dstText is null ? any : IpPrefix.Parse(dstText, IpJson.Int(entry, "dstlen"), v6);
        if (from is null)
        {
            why = $"priority {priority}: src '{srcText}' is not an address";
            return false;
        }

        if (to is null)
        {
            why = $"priority {priority}: dst '{dstText}' is not an address";
            return false;
        }

        var table = IpJson.String(entry, "table");
        var gotoPriority = IpJson.Int(entry, "goto");
        var action = IpJson.String(entry, "action") switch
        {
            { } explicitAction when explicitAction is not ("to_tbl" or "lookup") => explicitAction,
            _ when table is not null => PolicyRule.Lookup,
            _ when gotoPriority is not null => "goto",
            _ => "nop",
        };

        var unmodelled = new List<string>();
        foreach (var key in UnmodelledKeys)
        {
            if (IpJson.Has(entry, key))
            {
                var value = IpJson.String(entry, key);
                unmodelled.Add(key == "uid_start"
                    ? $"uidrange {value}-{IpJson.String(entry, "uid_end")}"
                    : value is null ? key : $"{key} {value}");
            }
        }

        rule = new PolicyRule(
            priority,
            IpJson.Has(entry, "not"),
            from.Value,
            to.Value,
            IpJson.String(entry, "iif"),
            IpJson.String(entry, "oif"),
            IpJson.Hex(entry, "fwmark"),
            IpJson.Hex(entry, "fwmask"),
            action,
            action == PolicyRule.Lookup ? Route.NormaliseTable(table) : null,
            gotoPriority,
            IpJson.Int(entry, "suppress_prefixlen"),
            unmodelled);
        return true;
    }
}
