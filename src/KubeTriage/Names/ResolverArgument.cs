using System.Net;

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
        if (IPAddress.TryParse(value, out ip) && !value.Contains(']', StringComparison.Ordinal))
        {
            // A bare address; for IPv6 "::1" parses here too, so a port needs the [::1]:53 form.
        }
        else if (IPEndPoint.TryParse(value, out var endpoint) && endpoint.Port != 0)
        {
            ip = endpoint.Address;
            port = endpoint.Port;
        }
        else
        {
            error = $"--resolver {text}: not an IP address or IP:port (e.g. 10.96.0.10 or 10.0.0.2:5353)";
            return false;
        }

        resolver = resolver with { Address = ip.ToString(), Port = port, Role = role ?? ResolverRole.Given };
        return true;
    }
}
