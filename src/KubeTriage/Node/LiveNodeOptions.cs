using System.Net;

namespace KubeTriage.Node;

/// <summary>How to read the node live: namespace, sysfs and proc roots, pods and destinations to look up.</summary>
public sealed record LiveNodeOptions
{
    /// <summary>Inspect this named namespace with <c>ip -n NAME</c> instead of the current one.</summary>
    public string? Netns { get; init; }

    /// <summary>A sysfs tree given by the user; PCI checks then run on it wherever this process is.</summary>
    public string? SysfsRoot { get; init; }

    public string ProcRoot { get; init; } = "/proc";

    public string EtcRoot { get; init; } = "/etc";

    public string? NodeName { get; init; }

    public IReadOnlyList<IPAddress> PodIps { get; init; } = [];

    /// <summary>Where to look up pod egress; empty: one documentation address that only a default route matches.</summary>
    public IReadOnlyList<IPAddress> Destinations { get; init; } = [];
}
