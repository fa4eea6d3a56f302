using KubeTriage.Capture.Packets;
using KubeTriage.Capture.Primitives;

namespace KubeTriage.Wire;

/// <summary>
/// ICMP errors (destination unreachable, time exceeded, …) one router or host sent about packets of one
/// source to one destination: the network saying why an answer will not come.
/// </summary>
public sealed record IcmpErrorGroup
{
    public required NetAddress Reporter { get; init; }

    public required NetAddress OriginalSource { get; init; }

    public required WireEndpoint OriginalDestination { get; init; }

    public IpProtocol OriginalProtocol { get; init; }

    public byte Type { get; init; }

    public byte Code { get; init; }

    public bool IsV6 { get; init; }

    public long Count { get; init; }

    public long FirstTimeNs { get; init; }

    public long FirstFrame { get; init; }

    public string File { get; init; } = string.Empty;

    /// <summary>The smallest path MTU a "fragmentation needed" (ICMPv4 3/4) or "packet too big" (ICMPv6 2) named, or null.</summary>
    public int? Mtu { get; init; }

    /// <summary>True for "fragmentation needed" and "packet too big": the packet was larger than a link on the path allows.</summary>
    public bool IsTooBig => IsV6 ? Type == 2 : Type == 3 && Code == 4;

    /// <summary>The error as people say it: "port unreachable", "host unreachable", "time exceeded", ….</summary>
    public string Description => IsV6 ? DescribeV6(Type, Code) : DescribeV4(Type, Code);

    /// <summary>RFC 792 / RFC 1812 names for ICMPv4 errors.</summary>
    public static string DescribeV4(byte type, byte code) => (type, code) switch
    {
        (3, 0) => "network unreachable",
        (3, 1) => "host unreachable",
        (3, 2) => "protocol unreachable",
        (3, 3) => "port unreachable",
        (3, 4) => "fragmentation needed",
        (3, 9) or (3, 10) or (3, 13) => "administratively prohibited",
        (3, _) => $"destination unreachable (code {code})",
        (11, _) => "time exceeded",
        (12, _) => "parameter problem",
        _ => $"ICMP type {type} code {code}",
    };

    /// <summary>RFC 4443 names for ICMPv6 errors.</summary>
    public static string DescribeV6(byte type, byte code) => (type, code) switch
    {
        (1, 0) => "no route to destination",
        (1, 1) => "administratively prohibited",
        (1, 3) => "address unreachable",
        (1, 4) => "port unreachable",
        (1, _) => $"destination unreachable (code {code})",
        (2, _) => "packet too big",
        (3, _) => "time exceeded",
        (4, _) => "parameter problem",
        _ => $"ICMPv6 type {type} code {code}",
    };
}
