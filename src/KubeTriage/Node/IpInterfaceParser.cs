using System.Net;
using System.Text.Json;

namespace KubeTriage.Node;

/// <summary>
/// Parses <c>ip -j addr show</c> and <c>ip -j [-d] link show</c> (the same objects, the first with
/// <c>addr_info</c>, the second with <c>linkinfo</c> under -d). Merging both gives addresses and link kinds.
/// </summary>
public static class IpInterfaceParser
{
    public static IpParseResult<NetInterface> Parse(string? json)
    {
        if (!IpJson.TryParseArray(json, out var document, out var problem))
        {
            return IpParseResult<NetInterface>.Unreadable(problem!);
        }

        using (document)
        {
            var items = new List<NetInterface>();
            var problems = new List<string>();
            var n = 0;
            foreach (var entry in document!.RootElement.EnumerateArray())
            {
                n++;
                var name = IpJson.String(entry, "ifname");
                if (name is null)
                {
                    problems.Add($"entry {n}: no ifname");
                    continue;
                }

                string? kind = null;
                if (entry.TryGetProperty("linkinfo", out var linkInfo))
                {
                    kind = IpJson.String(linkInfo, "info_kind");
                }

                items.Add(new NetInterface(
                    IpJson.Int(entry, "ifindex") ?? 0,
                    name,
                    IpJson.Strings(entry, "flags"),
                    IpJson.String(entry, "operstate") ?? "UNKNOWN",
                    IpJson.Int(entry, "mtu") ?? 0,
                    IpJson.String(entry, "address"),
                    IpJson.String(entry, "master"),
                    kind,
                    IpJson.Strings(entry, "altnames"),
                    ReadAddresses(entry, name, problems)));
            }

            return new IpParseResult<NetInterface>(items, problems, true);
        }
    }

    /// <summary>
    /// Joins the two views by name: addresses from <paramref name="addr"/>, kind/master/altnames from whichever has
    /// them; an interface only one of them lists is kept (the files may come from different moments).
    /// </summary>
    public static IReadOnlyList<NetInterface> Merge(IReadOnlyList<NetInterface> addr, IReadOnlyList<NetInterface> link)
    {
        var byName = link.ToDictionary(l => l.Name, StringComparer.Ordinal);
        var merged = new List<NetInterface>();
        foreach (var a in addr)
        {
            if (byName.Remove(a.Name, out var l))
            {
                merged.Add(a with
                {
                    Kind = a.Kind ?? l.Kind,
                    Master = a.Master ?? l.Master,
                    AltNames = a.AltNames.Count > 0 ? a.AltNames : l.AltNames,
                });
            }
            else
            {
                merged.Add(a);
            }
        }

        merged.AddRange(byName.Values);
        return merged.OrderBy(i => i.Index).ThenBy(i => i.Name, StringComparer.Ordinal).ToList();
    }

    private static List<InterfaceAddress> ReadAddresses(JsonElement entry, string name, List<string> problems)
    {
        var addresses = new List<InterfaceAddress>();
        if (!entry.TryGetProperty("addr_info", out var info) || info.ValueKind != JsonValueKind.Array)
        {
            return addresses;
        }

        foreach (var a in info.EnumerateArray())
        {
            var local = IpJson.String(a, "local");
            if (local is null)
            {
                continue;
            }

            if (!IPAddress.TryParse(local, out var ip))
            {
                problems.Add($"{name}: address '{local}' is not an address");
                continue;
            }

            addresses.Add(new InterfaceAddress(
                IpJson.String(a, "family") ?? (ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "inet6" : "inet"),
                ip,
                IpJson.Int(a, "prefixlen") ?? IpPrefix.MaxLength(ip),
                IpJson.String(a, "scope") ?? "global"));
        }

        return addresses;
    }
}
