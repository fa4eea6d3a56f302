using System.Net;
using System.Text.Json.Serialization;

namespace KubeTriage.Node;

/// <summary>
/// Everything the node checks read about one node: interfaces with addresses and state, policy rules, routes of
/// every table, PCI network functions with their netdevs, the pod addresses it routes for, route lookups from each
/// pod, resolv.conf and which network namespace was looked at. <c>…Known</c> says whether a source was readable:
/// analyzers never conclude "missing" from evidence that could not be read. <see cref="Problems"/> lists what
/// could not be read; the rest is kept.
/// </summary>
public sealed record NodeEvidence
{
    public required string Node { get; init; }

    /// <summary>Where it came from: "live", "ip -n NAME" or the collected directory.</summary>
    public required string Source { get; init; }

    public required NetnsStatus Namespace { get; init; }

    public IReadOnlyList<NetInterface> Interfaces { get; init; } = [];

    public bool InterfacesKnown { get; init; }

    public IReadOnlyList<PolicyRule> Rules { get; init; } = [];

    public bool RulesKnown { get; init; }

    public IReadOnlyList<Route> Routes { get; init; } = [];

    public bool RoutesKnown { get; init; }

    /// <summary>True when the PCI functions were read (host namespace or a given sysfs tree).</summary>
    public bool PciChecked { get; init; }

    public string? SysfsRoot { get; init; }

    /// <summary>Network-class PCI functions (class 0x02xxxx) only.</summary>
    public IReadOnlyList<PciFunction> PciFunctions { get; init; } = [];

    public IReadOnlyList<SysfsInterface> SysfsInterfaces { get; init; } = [];

    public IReadOnlyList<PodAddress> Pods { get; init; } = [];

    public IReadOnlyList<RouteLookup> Lookups { get; init; } = [];

    public NodeResolvConf? ResolvConf { get; init; }

    public IReadOnlyList<string> Problems { get; init; } = [];

    public NetInterface? Interface(string name) =>
        Interfaces.FirstOrDefault(i => i.Name == name) ?? Interfaces.FirstOrDefault(i => i.HasName(name));

    public IEnumerable<Route> RoutesIn(string table) => Routes.Where(r => r.Table == table);

    /// <summary>Lookup rules that select exactly this source address, by priority.</summary>
    public IEnumerable<PolicyRule> SourceRules(IPAddress address) =>
        Rules.Where(r => r.IsLookup && r.SelectsSingleSource && IpPrefix.Holds(r.From, address))
            .OrderBy(r => r.Priority);

    public bool IsLocalAddress(IPAddress address) =>
        Interfaces.Any(i => i.Addresses.Any(a => a.Local.Equals(address)));

    [JsonIgnore]
    public IEnumerable<string> TablesInUse => Routes.Select(r => r.Table).Distinct(StringComparer.Ordinal);

    public static bool IsBuiltInTable(string table) => table is "main" or "local" or "default";
}
