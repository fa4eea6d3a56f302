using System.Net;

namespace KubeTriage.Node;

/// <summary>
/// What a collector gathered for one node before it is turned into evidence: the raw ip -j texts, sysfs results
/// (null when not read), resolv.conf, the pod addresses and destinations asked for, and problems so far.
/// </summary>
public sealed record NodeInputs
{
    public required string Node { get; init; }

    public required string Source { get; init; }

    public required NetnsStatus Namespace { get; init; }

    public NodeSourceText? Addr { get; init; }

    public NodeSourceText? Link { get; init; }

    public NodeSourceText? Rule { get; init; }

    public NodeSourceText? Route { get; init; }

    public NodeSourceText? ResolvConf { get; init; }

    public string? SysfsRoot { get; init; }

    public IReadOnlyList<PciFunction>? PciFunctions { get; init; }

    public IReadOnlyList<SysfsInterface>? SysfsInterfaces { get; init; }

    public IReadOnlyList<IPAddress> PodIps { get; init; } = [];

    /// <summary>Where to look up pod egress; empty: one documentation address that only a default route matches.</summary>
    public IReadOnlyList<IPAddress> Destinations { get; init; } = [];

    public IReadOnlyList<string> Problems { get; init; } = [];
}
