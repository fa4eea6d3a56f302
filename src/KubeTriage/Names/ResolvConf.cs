using System.Net;

namespace KubeTriage.Names;

/// <summary>
/// A parsed resolv.conf (resolv.conf(5)): nameservers in order, the search list and options.
/// Shared by the node checks (the node's file), the cluster checks (a pod's file) and the DNS probes.
/// </summary>
public sealed record ResolvConf(IReadOnlyList<IPAddress> Nameservers, IReadOnlyList<string> Search, int Ndots, IReadOnlyList<string> Options, IReadOnlyList<string> Problems)
{
    /// <summary>The glibc default when no <c>options ndots:</c> is given.</summary>
    public const int DefaultNdots = 1;

    public static ResolvConf Parse(string text)
    {
        var nameservers = new List<IPAddress>();
        var search = new List<string>();
        var options = new List<string>();
        var problems = new List<string>();
        var ndots = DefaultNdots;
        var lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';')
            {
                continue;
            }

            var parts = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            switch (parts[0])
            {
                case "nameserver" when parts.Length >= 2:
                    // A scoped IPv6 address (fe80::1%eth0) parses with its zone.
                    if (IPAddress.TryParse(parts[1], out var ip))
                    {
                        nameservers.Add(ip);
                    }
                    else
                    {
                        problems.Add($"line {lineNumber}: nameserver '{parts[1]}' is not an address");
                    }

                    break;
                case "search":
                case "domain":
                    // The last search/domain line wins, as in glibc.
                    search.Clear();
                    search.AddRange(parts.Skip(1));
                    break;
                case "options":
                    foreach (var option in parts.Skip(1))
                    {
                        options.Add(option);
                        if (option.StartsWith("ndots:", StringComparison.Ordinal)
                            && int.TryParse(option.AsSpan(6), out var n))
                        {
                            ndots = Math.Clamp(n, 0, 15);
                        }
                    }

                    break;
                default:
                    problems.Add($"line {lineNumber}: unknown directive '{parts[0]}'");
                    break;
            }
        }

        return new ResolvConf(nameservers, search, ndots, options, problems);
    }

    /// <summary>
    /// The names a stub resolver tries for <paramref name="name"/>, in order: with fewer than
    /// <see cref="Ndots"/> dots, each search domain first, then the name itself; otherwise the name first.
    /// A trailing dot means absolute: no search.
    /// </summary>
    public IReadOnlyList<string> Candidates(string name)
    {
        if (name.EndsWith('.'))
        {
            return [name];
        }

        var dots = name.Count(c => c == '.');
        var searched = Search.Select(s => $"{name}.{s.TrimEnd('.')}.").ToList();
        return dots >= Ndots ? [$"{name}.", .. searched] : [.. searched, $"{name}."];
    }
}
