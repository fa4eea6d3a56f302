using System.Net;
using System.Text.Json.Serialization;

namespace KubeTriage.Names;

/// <summary>
/// One DNS server to ask: its address and port, its <see cref="Role"/>, and where it was found
/// (<c>--resolver</c>, <c>/etc/resolv.conf</c>, <c>nodes/NODE/resolv.conf</c>, the Corefile...).
/// </summary>
public sealed record DnsResolver(string Address, int Port, ResolverRole Role, string Source)
{
    public const int DefaultPort = 53;

    /// <summary>How people write it: <c>198.18.2.10</c>, or <c>198.18.2.10:5353</c> off port 53.</summary>
    public string Endpoint => Port == DefaultPort
        ? Address
        : IPAddress.TryParse(Address, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? $"[{Address}]:{Port}"
            : $"{Address}:{Port}";

    /// <summary><c>198.18.2.10 (cluster-dns)</c>.</summary>
    [JsonIgnore]
    public string Label => $"{Endpoint} ({ResolverRoles.Name(Role)})";

    [JsonIgnore]
    public IPAddress Ip => IPAddress.Parse(Address);
}
