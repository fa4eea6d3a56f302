using System.Net;
using System.Text.Json;

namespace KubeTriage.Node;

/// <summary>
/// Parses <c>ip -j route show table all</c> (or one table). Traps handled: routes of <c>main</c> carry no
/// <c>table</c> key, and with one table selected no route does (pass <c>tableWhenAbsent</c>); tables print as
/// names or numbers as text; <c>"dst":"default"</c> means /0 of the route's family, which is only known from
/// <c>pref</c> (IPv6 routes carry it), the gateway or the source; a bare address is a host route; multipath
/// routes keep their hops in <c>nexthops</c>; <c>flags</c> is an array, often empty, with "linkdown"/"onlink".
/// </summary>
public static class IpRouteParser
{
    public static IpParseResult<Route> Parse(string? json, string tableWhenAbsent = "main")
    {
        if (!IpJson.TryParseArray(json, out var document, out var problem))
        {
            return IpParseResult<Route>.Unreadable(problem!);
        }

        using (document)
        {
            var items = new List<Route>();
            var problems = new List<string>();
            var n = 0;
            foreach (var entry in document!.RootElement.EnumerateArray())
            {
                n++;
                var route = Read(entry, tableWhenAbsent, out var why);
                if (route is null)
                {
                    problems.Add($"route {n}: {why}");
                }
                else
                {
                    items.Add(route);
                }
            }

            return new IpParseResult<Route>(items, problems, true);
        }
    }

    internal static Route? Read(JsonElement entry, string tableWhenAbsent, out string? why)
    {
        why = null;
        if (entry.ValueKind != JsonValueKind.Object)
        {
            why = "not an object";
            return null;
        }

        var dst = IpJson.String(entry, "dst");
        var gatewayText = IpJson.String(entry, "gateway");
        var dev = IpJson.String(entry, "dev");
        var flags = IpJson.Strings(entry, "flags");
        if (gatewayText is null && dev is null && entry.TryGetProperty("nexthops", out var hops)
            && hops.ValueKind == JsonValueKind.Array && hops.GetArrayLength() > 0)
        {
            // ECMP: the first hop stands for the route (the simulator does not hash flows).
            var first = hops[0];
            gatewayText = IpJson.String(first, "gateway");
            dev = IpJson.String(first, "dev");
            flags = [.. flags, .. IpJson.Strings(first, "flags"), "multipath"];
        }

        var prefSrcText = IpJson.String(entry, "prefsrc");
        var v6 = IpJson.Has(entry, "pref")
            || (dst?.Contains(':', StringComparison.Ordinal) ?? false)
            || (gatewayText?.Contains(':', StringComparison.Ordinal) ?? false)
            || (prefSrcText?.Contains(':', StringComparison.Ordinal) ?? false);
        if (dst is null)
        {
            why = "no dst";
            return null;
        }

        var destination = IpPrefix.Parse(dst, v6: v6);
        if (destination is null)
        {
            why = $"dst '{dst}' is not an address";
            return null;
        }

        IPAddress? gateway = null;
        if (gatewayText is not null && !IPAddress.TryParse(gatewayText, out gateway))
        {
            why = $"{dst}: gateway '{gatewayText}' is not an address";
            return null;
        }

        IPAddress.TryParse(prefSrcText, out var prefSrc);
        return new Route(
            v6 ? "inet6" : "inet",
            Route.NormaliseTable(IpJson.String(entry, "table") ?? tableWhenAbsent),
            IpJson.String(entry, "type") ?? Route.Unicast,
            destination.Value,
            gateway,
            dev,
            IpJson.String(entry, "protocol"),
            IpJson.String(entry, "scope"),
            prefSrc,
            IpJson.Int(entry, "metric"),
            flags);
    }
}
