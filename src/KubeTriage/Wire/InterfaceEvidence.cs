using KubeTriage.Capture.Files;

namespace KubeTriage.Wire;

/// <summary>
/// Packets per interface name a capture was taken on (interfaces of the same name in several files are
/// one), and how many carry the pod's addresses: from the pod (<see cref="FromPodPackets"/>), to it
/// (<see cref="ToPodPackets"/>), and packets of other addresses in the pod's subnet (/24 or /64), which tell
/// which NIC carries the pod subnet.
/// </summary>
public sealed record InterfaceEvidence
{
    public required string Name { get; init; }

    /// <summary>The engine's interface ids that carry this name.</summary>
    public IReadOnlyList<int> Ids { get; init; } = [];

    /// <summary>The first file the interface was seen in.</summary>
    public string File { get; init; } = string.Empty;

    public LinkType LinkType { get; init; }

    public long Packets { get; init; }

    public long Bytes { get; init; }

    public long PodPackets { get; init; }

    public long FromPodPackets { get; init; }

    public long ToPodPackets { get; init; }

    public long PodSubnetPackets { get; init; }

    /// <summary>
    /// True for interfaces on the node's side of a NIC: not the pod's own veth, not loopback, not the
    /// pseudo-interface <c>any</c>. Only these can be "the wrong NIC". A cooked capture's interface named from
    /// the node (<c>any#eth0</c>) is judged by its own name.
    /// </summary>
    public bool IsNodeNic => OwnName(Name) is var own && !IsPodSide(own) && own is not ("lo" or "any");

    /// <summary>
    /// The name people use for an interface: a pcapng interface name as it is; for a single-interface file
    /// (where the engine names the interface after the file) the file name without its extension, so that
    /// <c>/tmp/eth0.pcap</c> reads <c>eth0</c>, <c>any.pcap#if3</c> reads <c>any#if3</c> and <c>any.pcap#eth1</c>
    /// (named from the node's <c>ip -j link</c>) reads <c>any#eth1</c>. The files of one ring buffer read as one
    /// interface: tcpdump's <c>-C</c>/<c>-W</c> rotation (<c>eth0.pcap1</c>, <c>eth0.pcap07</c>), dumpcap's
    /// (<c>eth0_00001_20261128184448.pcapng</c>), and either compressed (<c>eth0.pcap.gz</c>, <c>eth0.pcap3.gz</c>).
    /// </summary>
    public static string DisplayName(string name)
    {
        var hash = name.LastIndexOf('#');
        if (hash > 0)
        {
            // "<file>#if3" (a cooked v2 interface index), "<file>#eth1" (the same, named from the node)
            // or "<file>#0" (an unnamed pcapng interface)
            return DisplayName(name[..hash]) + name[hash..];
        }

        var file = Path.GetFileName(name);
        if (CaptureFileName.TryParse(file, out var baseName))
        {
            return baseName;
        }

        return name.Contains('/', StringComparison.Ordinal) ? file : name;
    }

    /// <summary>The interface's own name: what follows the <c>#</c> of <c>&lt;file&gt;#&lt;name&gt;</c>, else the name.</summary>
    public static string OwnName(string name) => name.LastIndexOf('#') is > 0 and var hash ? name[(hash + 1)..] : name;

    public static bool IsPodSide(string name) =>
        name.StartsWith("veth", StringComparison.Ordinal) || name.StartsWith("cali", StringComparison.Ordinal)
        || name.StartsWith("lxc", StringComparison.Ordinal) || name.StartsWith("cni", StringComparison.Ordinal)
        || name.StartsWith("eni", StringComparison.Ordinal) && name.Length > 8 || name.StartsWith("gke", StringComparison.Ordinal)
        || name.StartsWith("azv", StringComparison.Ordinal) || name.StartsWith("pod", StringComparison.Ordinal);
}
