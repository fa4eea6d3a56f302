using KubeTriage.Bundle;

namespace KubeTriage.Names;

/// <summary>
/// Decides which resolvers to ask and labels each with its role. Resolvers named with <c>--resolver</c> are
/// the only ones asked; otherwise every resolver found in the evidence is: the pod's resolv.conf nameservers
/// and the kube-dns Service IPs (cluster DNS), the Corefile's forward targets (upstream) and each node's
/// resolv.conf nameservers (node). Either way the evidence names the role of a resolver it knows; a resolver
/// the evidence names twice keeps its first role (cluster DNS, then upstream, then node).
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
                new DnsResolver(ip.ToString(), DnsResolver.DefaultPort, ResolverRole.ClusterDns, $"{BundleLayout.ClusterResources}: Service kube-system/kube-dns")));
            found.AddRange(CorefileUpstreams(bundle));
            foreach (var (node, resolvConf) in bundle.NodeResolvConfs)
            {
                found.AddRange(resolvConf.Nameservers.Take(3).Select(ns =>
                    new DnsResolver(ns.ToString(), DnsResolver.DefaultPort, ResolverRole.Node, BundleLayout.NodeResolvConf(node))));
            }
        }

        return found.DistinctBy(r => (r.Address, r.Port)).ToList();
    }

    /// <summary>
    /// The Corefile's forward targets: addresses as they are, and a file target (<c>forward . /etc/resolv.conf</c>,
    /// the CoreDNS pod's own file, which is its node's under <c>dnsPolicy: Default</c>) as the nameservers of the
    /// resolv.conf of the nodes CoreDNS runs on (every node's when that is unknown). DNS-over-TLS/HTTPS targets
    /// are left out: a plain DNS question cannot reach them.
    /// </summary>
    public static IEnumerable<DnsResolver> CorefileUpstreams(BundleDnsFacts bundle)
    {
        if (bundle.Corefile is null)
        {
            yield break;
        }

        var source = $"Corefile {bundle.CorefileSource}";
        var nodes = bundle.CoreDnsNodes.Where(bundle.NodeResolvConfs.ContainsKey).ToList();
        if (nodes.Count == 0)
        {
            nodes = bundle.NodeResolvConfs.Keys.ToList();
        }

        foreach (var forward in bundle.Corefile.Forwards)
        {
            foreach (var target in forward.Targets.Where(t => t.Transport == "dns"))
            {
                if (target.Endpoint is { } endpoint)
                {
                    yield return new DnsResolver(endpoint.Address.ToString(), endpoint.Port, ResolverRole.Upstream,
                        $"{source}: {forward.Plugin} {forward.From} {target.Text}");
                    continue;
                }

                foreach (var node in nodes)
                {
                    foreach (var ns in bundle.NodeResolvConfs[node].Nameservers.Take(3))
                    {
                        yield return new DnsResolver(ns.ToString(), DnsResolver.DefaultPort, ResolverRole.Upstream,
                            $"{source}: {forward.Plugin} {forward.From} {target.Text} = {BundleLayout.NodeResolvConf(node)}");
                    }
                }
            }
        }
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
