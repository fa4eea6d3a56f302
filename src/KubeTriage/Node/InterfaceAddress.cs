using System.Net;
using System.Text.Json.Serialization;

namespace KubeTriage.Node;

/// <summary>One address of an interface (an <c>addr_info</c> entry of <c>ip -j addr</c>).</summary>
public sealed record InterfaceAddress(
    string Family,
    [property: JsonConverter(typeof(IPAddressJsonConverter))] IPAddress Local,
    int PrefixLength,
    string Scope)
{
    /// <summary>The connected subnet: 198.18.1.10/24 → 198.18.1.0/24.</summary>
    [JsonIgnore]
    public IPNetwork Subnet => IpPrefix.Of(Local, PrefixLength);

    public bool IsV4 => Family == "inet";

    /// <summary>A global IPv4 address on a real subnet: what places an interface in a subnet (not /32 service IPs).</summary>
    [JsonIgnore]
    public bool DefinesSubnet => IsV4 && Scope == "global" && PrefixLength < 32;

    public override string ToString() => $"{Local}/{PrefixLength}";
}
