using System.Net;

namespace KubeTriage.Cluster.Corefiles;

/// <summary>
/// One TO of <c>forward FROM TO...</c> (or the legacy <c>proxy</c>): an address (<c>IP</c>, <c>IP:port</c>,
/// <c>[v6]:port</c>, <c>dns://IP</c>, <c>tls://IP</c>) or a resolv.conf-style file whose nameservers become
/// the upstreams (coredns <c>plugin/pkg/parse/host.go</c>).
/// </summary>
public sealed record CorefileForwardTarget(string Text, IPEndPoint? Endpoint, string? FilePath, string Transport)
{
    /// <summary>The upstream as <c>IP:port</c> (<c>[v6]:port</c> for IPv6), or the file path for a file target.</summary>
    public string Address => Endpoint?.ToString() ?? FilePath ?? Text;

    public bool IsFile => FilePath is not null;

    public static CorefileForwardTarget? TryParse(string text)
    {
        var rest = text;
        var transport = "dns";
        var defaultPort = 53;
        var scheme = rest.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            transport = rest[..scheme].ToLowerInvariant();
            rest = rest[(scheme + 3)..];
            if (transport == "tls")
            {
                defaultPort = 853;
            }
            else if (transport is "https")
            {
                defaultPort = 443;
            }
        }

        if (TryParseEndpoint(rest, defaultPort, out var endpoint))
        {
            return new CorefileForwardTarget(text, endpoint, null, transport);
        }

        // Anything that is not an address is read as a file (forward reads it with ClientConfigFromFile).
        if (scheme < 0 && (rest.StartsWith('/') || rest.StartsWith("./", StringComparison.Ordinal) || rest.Contains('/')))
        {
            return new CorefileForwardTarget(text, null, rest, "dns");
        }

        return null;
    }

    /// <summary>Parses <c>IP</c>, <c>IP:port</c>, <c>v6</c>, <c>[v6]</c> or <c>[v6]:port</c>; a missing port is <paramref name="defaultPort"/>.</summary>
    public static bool TryParseEndpoint(string text, int defaultPort, out IPEndPoint? endpoint)
    {
        endpoint = null;
        string host;
        var port = defaultPort;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                return false;
            }

            host = text[1..close];
            var tail = text[(close + 1)..];
            if (tail.Length > 0 && (!tail.StartsWith(':') || !int.TryParse(tail.AsSpan(1), out port)))
            {
                return false;
            }
        }
        else if (text.Count(c => c == ':') == 1)
        {
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            host = text[..colon];
            if (!int.TryParse(text.AsSpan(colon + 1), out port))
            {
                return false;
            }
        }
        else
        {
            host = text;
        }

        if (port is < 1 or > 65535 || !IPAddress.TryParse(host, out var address))
        {
            return false;
        }

        // IPAddress.TryParse also takes "10.1" or "7"; an upstream is written in full.
        if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && host.Count(c => c == '.') != 3)
        {
            return false;
        }

        endpoint = new IPEndPoint(address, port);
        return true;
    }
}
