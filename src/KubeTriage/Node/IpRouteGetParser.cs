using System.Net;

namespace KubeTriage.Node;

/// <summary>
/// Parses <c>ip -j route get DST from SRC iif DEV</c>: one object with dst, from, gateway, dev, table (absent for
/// main), type (absent for unicast), iif, and <c>cache</c>/<c>uid</c> noise. ip's refusals ("RTNETLINK answers:
/// Network is unreachable" on stderr, exit 2) become a lookup with an error.
/// </summary>
public static class IpRouteGetParser
{
    public static RouteLookup Parse(string? json, IPAddress destination, IPAddress source, string? iif)
    {
        if (!IpJson.TryParseArray(json, out var document, out var problem))
        {
            return Failed(destination, source, iif, problem!);
        }

        using (document)
        {
            var root = document!.RootElement;
            if (root.GetArrayLength() == 0)
            {
                return Failed(destination, source, iif, "ip route get printed no route");
            }

            var entry = root[0];
            var gatewayText = IpJson.String(entry, "gateway");
            IPAddress? gateway = null;
            if (gatewayText is not null)
            {
                IPAddress.TryParse(gatewayText, out gateway);
            }

            return new RouteLookup(
                destination,
                source,
                IpJson.String(entry, "iif") ?? iif,
                RouteLookup.Kernel,
                IpJson.String(entry, "type") ?? Route.Unicast,
                IpJson.String(entry, "dev"),
                gateway,
                Route.NormaliseTable(IpJson.String(entry, "table")),
                null);
        }
    }

    /// <summary>A lookup the kernel refused, with the refusal as ip printed it (without "RTNETLINK answers: ").</summary>
    public static RouteLookup Failed(IPAddress destination, IPAddress source, string? iif, string error)
    {
        var text = error.Trim();
        const string prefix = "RTNETLINK answers: ";
        var at = text.IndexOf(prefix, StringComparison.Ordinal);
        if (at >= 0)
        {
            text = text[(at + prefix.Length)..];
        }

        var line = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "no answer";
        return new RouteLookup(destination, source, iif, RouteLookup.Kernel, "error", null, null, null, line);
    }
}
