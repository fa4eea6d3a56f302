namespace KubeTriage.Cluster.Corefiles;

/// <summary>
/// A server block: the keys before <c>{</c> (<c>.:53</c>, <c>consul.local:53</c>, <c>dns://.:53</c>) and its plugins.
/// </summary>
public sealed record CorefileServerBlock(IReadOnlyList<string> Keys, IReadOnlyList<CorefileDirective> Directives, int Line)
{
    /// <summary>The zones this block serves, without scheme or port (<c>.</c>, <c>consul.local.</c>).</summary>
    public IReadOnlyList<string> Zones => Keys.Select(ZoneOf).ToList();

    /// <summary>The plugin names in order of appearance (duplicates kept once).</summary>
    public IReadOnlyList<string> Plugins => Directives.Select(d => d.Name).Distinct(StringComparer.Ordinal).ToList();

    public bool Has(string plugin) => Directives.Any(d => d.Name == plugin);

    public CorefileDirective? Find(string plugin) => Directives.FirstOrDefault(d => d.Name == plugin);

    public string Label => string.Join(' ', Keys);

    /// <summary>Normalises a key: strips <c>dns://</c>-style schemes and the <c>:port</c>, and makes the zone absolute.</summary>
    public static string ZoneOf(string key)
    {
        var zone = key;
        var scheme = zone.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            zone = zone[(scheme + 3)..];
        }

        var colon = zone.LastIndexOf(':');
        if (colon >= 0)
        {
            zone = zone[..colon];
        }

        if (zone.Length == 0)
        {
            return ".";
        }

        return zone.EndsWith('.') ? zone : zone + ".";
    }
}
