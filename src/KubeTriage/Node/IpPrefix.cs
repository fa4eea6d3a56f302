using System.Net;
using System.Net.Sockets;

namespace KubeTriage.Node;

/// <summary>Prefix helpers over <see cref="IPNetwork"/>: masking host bits, "default", host prefixes.</summary>
public static class IpPrefix
{
    public static IPNetwork AnyV4 { get; } = new(IPAddress.Any, 0);

    public static IPNetwork AnyV6 { get; } = new(IPAddress.IPv6Any, 0);

    /// <summary>The network holding <paramref name="address"/> with host bits cleared (198.18.1.10/24 → 198.18.1.0/24).</summary>
    public static IPNetwork Of(IPAddress address, int prefixLength)
    {
        var bytes = address.GetAddressBytes();
        var bits = Math.Clamp(prefixLength, 0, bytes.Length * 8);
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(bits - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }

        return new IPNetwork(new IPAddress(bytes), bits);
    }

    public static IPNetwork Host(IPAddress address) => Of(address, MaxLength(address));

    public static int MaxLength(IPAddress address) => address.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32;

    public static bool IsHost(IPNetwork network) => network.PrefixLength == MaxLength(network.BaseAddress);

    public static bool IsV6(IPNetwork network) => network.BaseAddress.AddressFamily == AddressFamily.InterNetworkV6;

    /// <summary>
    /// Parses what ip prints for a destination or source: "default", "all", "198.18.1.0/24", a bare address
    /// (a host prefix), or an address with a separate length. Null when it is none of these.
    /// </summary>
    public static IPNetwork? Parse(string? text, int? length = null, bool v6 = false)
    {
        if (text is null)
        {
            return null;
        }

        if (text is "default" or "all" or "any")
        {
            return v6 ? AnyV6 : AnyV4;
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? text : text[..slash];
        if (!IPAddress.TryParse(addressText, out var address))
        {
            return null;
        }

        var max = MaxLength(address);
        var bits = max;
        if (slash >= 0)
        {
            if (!int.TryParse(text.AsSpan(slash + 1), out bits) || bits < 0 || bits > max)
            {
                return null;
            }
        }
        else if (length is { } given)
        {
            if (given < 0 || given > max)
            {
                return null;
            }

            bits = given;
        }

        return Of(address, bits);
    }

    /// <summary>How ip prints a prefix: "default" for /0, a bare address for a host prefix.</summary>
    public static string Format(IPNetwork network) =>
        network.PrefixLength == 0 ? "default"
        : IsHost(network) ? network.BaseAddress.ToString()
        : network.ToString();

    /// <summary>Contains that is false, not an exception, across address families.</summary>
    public static bool Holds(IPNetwork network, IPAddress address) =>
        network.BaseAddress.AddressFamily == address.AddressFamily && network.Contains(address);
}
