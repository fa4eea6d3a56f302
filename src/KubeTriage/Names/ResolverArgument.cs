using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace KubeTriage.Names;

/// <summary>
/// Parses a <c>--resolver</c> value: <c>IP</c>, <c>IP:port</c>, <c>[IPv6]:port</c>, each optionally
/// followed by <c>=ROLE</c> (<c>cluster-dns</c>, <c>upstream</c>, <c>node</c>) when the role is known
/// but no evidence file says it.
/// </summary>
public static class ResolverArgument
{
    public static bool TryParse(string text, out DnsResolver resolver, out string error)
    {
        resolver = new DnsResolver(string.Empty, DnsResolver.DefaultPort, ResolverRole.Given, "--resolver");
        error = string.Empty;
        var value = text.Trim();
        ResolverRole? role = null;
        var eq = value.LastIndexOf('=');
        if (eq >= 0)
        {
            var roleText = value[(eq + 1)..];
            if (!ResolverRoles.TryParse(roleText, out var parsedRole))
            {
                error = $"--resolver {text}: role '{roleText}' is not one of cluster-dns, upstream, node";
                return false;
            }

            role = parsedRole;
            value = value[..eq];
        }

        IPAddress? ip;
        var port = DnsResolver.DefaultPort;
        if (TryParseAddress(value, out ip))
        {
            // A bare address; for IPv6 "::1" parses here too, so a port needs the [::1]:53 form.
        }
        else if (SplitPort(value) is var (host, portText)
            && TryParseAddress(host, out ip)
            && int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port)
            && port is > 0 and <= 65535)
        {
        }
        else
        {
            error = $"--resolver {text}: not an IP address or IP:port (e.g. 10.96.0.10 or 10.0.0.2:5353)";
            return false;
        }

        resolver = resolver with { Address = ip.ToString(), Port = port, Role = role ?? ResolverRole.Given };
        return true;
    }

    /// <summary>
    /// An address written out in full: four dotted decimals for IPv4 (IPAddress.Parse would also take the
    /// legacy "1.2.3" as 1.2.0.3, a typo that must not send queries to a stranger) or an IPv6 address.
    /// </summary>
    public static bool TryParseAddress(string text, [NotNullWhen(true)] out IPAddress? address)
    {
        address = null;
        if (text.Contains(':', StringComparison.Ordinal))
        {
            // IPAddress.Parse reads "[v6]:port" too and drops the port: brackets belong to SplitPort.
            return text.IndexOfAny(['[', ']']) < 0
                && IPAddress.TryParse(text, out address) && address.AddressFamily == AddressFamily.InterNetworkV6;
        }

        var parts = text.Split('.');
        if (parts.Length != 4 || parts.Any(p => p.Length is 0 or > 3 || !p.All(char.IsAsciiDigit)))
        {
            return false;
        }

        return IPAddress.TryParse(text, out address);
    }

    private static (string Host, string Port)? SplitPort(string text)
    {
        if (text.StartsWith('['))
        {
            var close = text.IndexOf("]:", StringComparison.Ordinal);
            return close < 0 ? null : (text[1..close], text[(close + 2)..]);
        }

        var colon = text.LastIndexOf(':');
        return colon < 0 || text.IndexOf(':', StringComparison.Ordinal) != colon ? null : (text[..colon], text[(colon + 1)..]);
    }
}
