namespace KubeTriage.Names;

/// <summary>
/// Decides which resolvers to ask and labels each with its role. Resolvers named with <c>--resolver</c> are
/// the only ones asked; otherwise every resolver found in the evidence is: the pod's resolv.conf nameservers
/// and the kube-dns Service IPs (cluster DNS), the Corefile's forward targets (upstream) and each node's
/// resolv.conf nameservers (node). Either way the evidence names the role of a resolver it knows.
/// </summary>
public static class ResolverDiscovery
{
    public const string DefaultPodResolvConf = "/etc/resolv.conf";

    public static IReadOnlyList<DnsResolver> Discover(
        IReadOnlyList<DnsResolver> given,
        ResolvConf? podResolvConf,
        string? podResolvConfSource,
        BundleDnsFacts? bundle)
    {
        var known = Known(podResolvConf, podResolvConfSource, bundle);
        if (given.Count == 0)
        {
            return known;
        }

        return given
            .DistinctBy(r => (r.Address, r.Port))
            .Select(r => r.Role == ResolverRole.Given && known.FirstOrDefault(k => k.Address == r.Address && k.Port == r.Port) is { } match
                ? r with { Role = match.Role, Source = $"{r.Source}; {match.Source}" }
                : r)
            .ToList();
    }

    /// <summary>Every resolver the evidence names, first role wins: cluster DNS, then upstream, then node.</summary>
    public static IReadOnlyList<DnsResolver> Known(ResolvConf? podResolvConf, string? podResolvConfSource, BundleDnsFacts? bundle)
    {
        var found = new List<DnsResolver>();
        if (podResolvConf is not null)
        {
            // glibc asks at most the first three nameservers (MAXNS).
            found.AddRange(podResolvConf.Nameservers.Take(3).Select(ns =>
                new DnsResolver(ns.ToString(), DnsResolver.DefaultPort, ResolverRole.ClusterDns, podResolvConfSource ?? DefaultPodResolvConf)));
        }

        if (bundle is not null)
        {
            found.AddRange(bundle.ClusterDnsIps.Select(ip =>
                new DnsResolver(ip.ToString(), DnsResolver.DefaultPort, ResolverRole.ClusterDns, $"{BundleDnsFacts.ResourcesPath}: Service kube-system/kube-dns")));
            foreach (var (node, resolvConf) in bundle.NodeResolvConfs)
            {
                found.AddRange(resolvConf.Nameservers.Take(3).Select(ns =>
                    new DnsResolver(ns.ToString(), DnsResolver.DefaultPort, ResolverRole.Node, $"nodes/{node}/resolv.conf")));
            }
        }

        return found.DistinctBy(r => (r.Address, r.Port)).ToList();
    }

    /// <summary>
    /// Reads the pod's resolv.conf. A file the user named must be readable (else <see cref="ResolverDiscoveryException"/>);
    /// the default <c>/etc/resolv.conf</c> may be missing (then null and a problem line).
    /// </summary>
    public static ResolvConf? ReadPodResolvConf(string path, bool required, ICollection<string> problems)
    {
        try
        {
            var parsed = ResolvConf.Parse(File.ReadAllText(path));
            foreach (var problem in parsed.Problems)
            {
                problems.Add($"{path}: {problem}");
            }

            return parsed;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            if (required)
            {
                throw new ResolverDiscoveryException($"--resolv-conf {path}: cannot read: {ex.Message}");
            }

            problems.Add($"{path}: cannot read ({ex.Message}); the pod's cluster DNS and search list are unknown");
            return null;
        }
    }
}

/// <summary>A resolver source the user named cannot be read: one line naming it and why.</summary>
public sealed class ResolverDiscoveryException(string message) : Exception(message);
