using System.Net;
using KubeTriage.Bundle;
using KubeTriage.Cluster;
using KubeTriage.Cluster.Collectors;
using KubeTriage.Cluster.Corefiles;

namespace KubeTriage.Names;

/// <summary>
/// The DNS facts of a bundle directory (contract.md layout) that resolver discovery needs, read through the
/// cluster room's bundle collector: the kube-dns Service's cluster IPs, the parsed Corefile, the nodes the
/// CoreDNS pods run on, each node's resolv.conf, and the target pod's own resolv.conf when the bundle has it
/// (<c>cluster/pods/NS/POD/resolv.conf</c>). What cannot be read goes to <see cref="Problems"/>.
/// </summary>
public sealed record BundleDnsFacts(
    IReadOnlyList<IPAddress> ClusterDnsIps,
    Corefile? Corefile,
    string? CorefileSource,
    IReadOnlyList<string> CoreDnsNodes,
    IReadOnlyDictionary<string, ResolvConf> NodeResolvConfs,
    ResolvConf? PodResolvConf,
    string? PodResolvConfSource,
    IReadOnlyList<string> Problems)
{
    public static BundleDnsFacts Read(string bundleDir)
    {
        var reader = new BundleReader(bundleDir);
        ClusterSnapshot snapshot;
        try
        {
            snapshot = BundleClusterCollector.Read(reader, []);
        }
        catch (BundleException ex)
        {
            // A garbled resources file costs the cluster facts, not the nodes' resolvers: keep asking those.
            snapshot = new ClusterSnapshot { Source = bundleDir };
            snapshot.Problems.Add(ex.Message);
            foreach (var node in reader.Directories(BundleLayout.Nodes))
            {
                if (reader.ReadText(BundleLayout.NodeResolvConf(node), 1024 * 1024) is not { } text)
                {
                    continue;
                }

                if (BundleReader.LooksBinary(text))
                {
                    snapshot.Problems.Add($"{BundleLayout.NodeResolvConf(node)}: binary content, not text: skipped");
                    continue;
                }

                snapshot.NodeResolvConfs[node] = text;
            }
        }

        var evidence = ClusterEvidence.From(snapshot);

        // Logs and events are the cluster check's business; the problems that matter here are the resources file's
        // and the resolv.conf files'.
        var problems = snapshot.Problems
            .Where(p => p.Contains(BundleLayout.ClusterResources, StringComparison.Ordinal)
                || p.Contains("resolv.conf:", StringComparison.Ordinal))
            .ToList();
        var ips = new List<IPAddress>();
        var spec = evidence.DnsService?.Spec;
        foreach (var text in (spec?.ClusterIPs ?? []).Append(evidence.ClusterDnsIp))
        {
            if (IPAddress.TryParse(text, out var ip) && !ips.Contains(ip))
            {
                ips.Add(ip);
            }
        }

        if (ips.Count == 0 && evidence.Has(ClusterEvidenceKind.Services))
        {
            problems.Add($"{BundleLayout.ClusterResources}: no kube-dns Service with a cluster IP");
        }

        var nodes = new SortedDictionary<string, ResolvConf>(StringComparer.Ordinal);
        foreach (var (node, text) in evidence.NodeResolvConfs)
        {
            var parsed = ResolvConf.Parse(text);
            problems.AddRange(parsed.Problems.Select(p => $"{BundleLayout.NodeResolvConf(node)}: {p}"));
            nodes[node] = parsed;
        }

        var target = evidence.Targets.FirstOrDefault(t => t.ResolvConfText is not null);
        if (evidence.Targets.Count(t => t.ResolvConfText is not null) > 1)
        {
            problems.Add($"{BundleLayout.ClusterPods}: several pods' resolv.conf; the search list of {target!.Key} is replayed");
        }

        var corefile = evidence.Corefile;
        if (corefile is not null)
        {
            problems.AddRange(corefile.Problems.Select(p => $"Corefile ({evidence.CorefileSource}): {p}"));
        }

        return new BundleDnsFacts(
            ips,
            corefile,
            evidence.CorefileSource,
            evidence.DnsPods.Select(ClusterEvidence.NodeOf).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
            nodes,
            target?.ResolvConfText is { } podText ? ResolvConf.Parse(podText) : null,
            target is null ? null : BundleLayout.PodResolvConf(target.Key.Split('/')[0], target.Key.Split('/')[1]),
            problems);
    }
}
