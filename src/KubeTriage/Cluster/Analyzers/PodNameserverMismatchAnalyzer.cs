using KubeTriage.Findings;
using KubeTriage.Names;

namespace KubeTriage.Cluster.Analyzers;

/// <summary>
/// A target pod that should ask cluster DNS does not: its resolv.conf (collected file, or what its spec implies:
/// <c>dnsPolicy</c>, <c>hostNetwork</c>, <c>dnsConfig.nameservers</c>) names something other than the kube-dns ClusterIP.
/// A link-local nameserver (NodeLocal DNSCache, 169.254.20.10 by default) is a cache in front of cluster DNS:
/// reported as info, not as a mismatch.
/// </summary>
public sealed class PodNameserverMismatchAnalyzer : IAnalyzer<ClusterEvidence>
{
    public string Id => FindingIds.PodNameserverMismatch;

    public string Title => "A pod's nameserver is not the cluster DNS Service";

    public IEnumerable<Finding> Analyze(ClusterEvidence evidence)
    {
        var clusterIp = evidence.ClusterDnsIp;
        if (clusterIp is null)
        {
            yield break;
        }

        foreach (var target in evidence.Targets)
        {
            var pod = target.Pod;
            var policy = pod?.Spec?.DnsPolicy ?? "ClusterFirst";
            var hostNetwork = pod?.Spec?.HostNetwork == true;
            var node = pod?.Spec?.NodeName;
            var (ns, name) = Split(target.Key);
            var lines = new List<string>
            {
                pod is null
                    ? $"pod {target.Key}: object not read; kube-dns ClusterIP {clusterIp}"
                    : $"pod {target.Key} on node {node ?? "(not scheduled)"}: dnsPolicy {policy}{(hostNetwork ? ", hostNetwork" : string.Empty)}; kube-dns ClusterIP {clusterIp}",
            };

            if (target.ResolvConfText is { } text)
            {
                var resolv = ResolvConf.Parse(text);
                var firstAddress = resolv.Nameservers.FirstOrDefault();
                var first = firstAddress?.ToString();
                if ((first is not null && evidence.ClusterDnsIps.Contains(first)) || policy is "Default" or "None")
                {
                    continue;
                }

                lines.Add($"cluster/pods/{target.Key}/resolv.conf: nameserver {(resolv.Nameservers.Count == 0 ? "(none)" : string.Join(", ", resolv.Nameservers))}; search {string.Join(' ', resolv.Search)}");
                if (firstAddress is not null && IsLinkLocal(firstAddress))
                {
                    lines.Add($"{first} is link-local: a node-local DNS cache (NodeLocal DNSCache) that forwards cluster names to {clusterIp}");
                    yield return new Finding(
                        Id,
                        Severity.Info,
                        $"Pod {target.Key} asks the node-local DNS cache {first}, which sits in front of cluster DNS {clusterIp}",
                        target.Key,
                        lines,
                        $"if lookups fail, check the node-local-dns pod on node {node ?? "(the pod's node)"}: kubectl -n kube-system get pods -l k8s-app=node-local-dns -o wide")
                    {
                        Node = node,
                    };
                    continue;
                }

                yield return new Finding(
                    Id,
                    Severity.Critical,
                    $"Pod {target.Key} asks {first ?? "no nameserver"} instead of cluster DNS {clusterIp}",
                    target.Key,
                    lines,
                    $"check kubelet's clusterDNS on node {node ?? "(the pod's node)"} (/var/lib/kubelet/config.yaml, clusterDNS: [{clusterIp}]) and the pod's dnsConfig; then recreate the pod: kubectl -n {ns} delete pod {name}")
                {
                    Node = node,
                };
                continue;
            }

            if (pod is null)
            {
                continue;
            }

            if (policy == "ClusterFirst" && hostNetwork)
            {
                lines.Add("with hostNetwork, dnsPolicy ClusterFirst falls back to the node's resolv.conf (kubelet behaviour): the pod never asks cluster DNS");
                yield return new Finding(
                    Id,
                    Severity.Warning,
                    $"Pod {target.Key} runs with hostNetwork and dnsPolicy ClusterFirst, so it uses the node's resolvers, not {clusterIp}",
                    target.Key,
                    lines,
                    $"set spec.dnsPolicy: ClusterFirstWithHostNet on the pod's controller, then roll it (kubectl -n {ns} rollout restart deployment <name>)")
                {
                    Node = node,
                };
            }
            else if (policy == "None" && pod.Spec?.DnsConfig?.Nameservers is { } servers && !servers.Any(evidence.ClusterDnsIps.Contains))
            {
                lines.Add($"dnsConfig.nameservers: {string.Join(", ", servers)}");
                yield return new Finding(
                    Id,
                    Severity.Warning,
                    $"Pod {target.Key} uses dnsPolicy None with nameservers {string.Join(", ", servers)}: cluster names will not resolve",
                    target.Key,
                    lines,
                    $"add {clusterIp} to spec.dnsConfig.nameservers or use dnsPolicy ClusterFirst")
                {
                    Node = node,
                };
            }
            else if (policy == "Default")
            {
                lines.Add("dnsPolicy Default: the pod uses its node's resolv.conf; Service names will not resolve");
                yield return new Finding(
                    Id,
                    Severity.Info,
                    $"Pod {target.Key} uses dnsPolicy Default and bypasses cluster DNS {clusterIp}",
                    target.Key,
                    lines,
                    "if the app needs Service names, use dnsPolicy ClusterFirst")
                {
                    Node = node,
                };
            }
        }
    }

    private static bool IsLinkLocal(System.Net.IPAddress address) =>
        address.IsIPv6LinkLocal
        || (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && address.GetAddressBytes() is [169, 254, ..]);

    private static (string Namespace, string Name) Split(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? ("default", key) : (key[..slash], key[(slash + 1)..]);
    }
}
