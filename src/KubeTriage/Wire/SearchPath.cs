namespace KubeTriage.Wire;

/// <summary>
/// A resolver's search-path walk (resolv.conf <c>search</c> with <c>ndots:5</c> in Kubernetes): the app asks
/// for <c>example-api.com</c>, the resolver first tries <c>example-api.com.default.svc.cluster.local</c>,
/// <c>example-api.com.svc.cluster.local</c>, <c>example-api.com.cluster.local</c>, then the name itself.
/// </summary>
public static class SearchPath
{
    /// <summary>
    /// True when <paramref name="name"/> is such a try: another queried name plus a suffix, or a name under
    /// <c>cluster.local</c> that is not a Service's (<c>svc.ns.svc.cluster.local</c>) or a pod's.
    /// </summary>
    public static bool IsExpansion(string name, IReadOnlySet<string> queried) => BaseOf(name, queried) != name;

    /// <summary>The name the app asked for, when <paramref name="name"/> is a search-path try of it; else the name.</summary>
    public static string BaseOf(string name, IReadOnlySet<string> queried)
    {
        string? shortest = null;
        foreach (var other in queried)
        {
            if (other.Length < name.Length && name.StartsWith(other, StringComparison.Ordinal) && name[other.Length] == '.'
                && (shortest is null || other.Length < shortest.Length))
            {
                shortest = other;
            }
        }

        if (shortest is not null)
        {
            return shortest;
        }

        if (!name.EndsWith(".cluster.local", StringComparison.Ordinal) || name.Contains(".pod.cluster.local", StringComparison.Ordinal))
        {
            return name;
        }

        var labels = name.Split('.');
        if (labels.Length == 5 && labels[2] == "svc")
        {
            return name;
        }

        // name.<namespace>.svc.cluster.local, name.svc.cluster.local, name.cluster.local
        var keep = labels.Length >= 6 && labels[^3] == "svc" ? labels.Length - 4
            : labels[^3] == "svc" ? labels.Length - 3
            : labels.Length - 2;
        return keep > 0 ? string.Join('.', labels[..keep]) : name;
    }
}
