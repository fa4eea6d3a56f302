using System.Net;
using KubeTriage.Cluster.Corefiles;
using KubeTriage.Findings;
using KubeTriage.Names;

namespace KubeTriage.Cluster.Analyzers;

/// <summary>
/// CoreDNS forwards to itself. Seen in the log (<c>[FATAL] plugin/loop: Loop (A -&gt; B) detected</c>, after which
/// CoreDNS exits and crash-loops) or in the configuration: <c>forward . /etc/resolv.conf</c> while the file a
/// CoreDNS pod gets (the node's, under <c>dnsPolicy: Default</c>) names the kube-dns ClusterIP, a CoreDNS pod IP,
/// or a loopback stub such as systemd-resolved's 127.0.0.53; or a forward target that is cluster DNS itself.
/// </summary>
public sealed class ClusterDnsForwardLoopAnalyzer : IAnalyzer<ClusterEvidence>
{
    public string Id => FindingIds.ClusterDnsForwardLoop;

    public string Title => "CoreDNS forwards queries back to itself";

    public IEnumerable<Finding> Analyze(ClusterEvidence evidence)
    {
        foreach (var pod in evidence.DnsPods)
        {
            var loops = evidence.LogsFor(pod).SelectMany(l => l.Summary.Loops).ToList();
            if (loops.Count == 0)
            {
                continue;
            }

            var node = pod.Spec?.NodeName;
            var lines = new List<string> { $"pod {PodFacts.Key(pod)} on node {PodFacts.NodeLabel(pod)} detected a forwarding loop and exited" };
            lines.AddRange(loops.Select(l => $"log: {l.Sample()}"));
            lines.AddRange(ConfigLines(evidence));
            yield return new Finding(
                Id,
                Severity.Critical,
                $"CoreDNS pod {PodFacts.Name(pod)} detected a forwarding loop and exits (CrashLoopBackOff follows)",
                PodFacts.Key(pod),
                lines,
                Remediation(node))
            {
                Node = node,
            };
        }

        var corefile = evidence.Corefile;
        if (corefile is null)
        {
            yield break;
        }

        var selfAddresses = SelfAddresses(evidence);
        foreach (var forward in corefile.Forwards)
        {
            foreach (var target in forward.Targets.Where(t => t.Endpoint is not null && IsSelf(t.Endpoint.Address, selfAddresses)))
            {
                yield return new Finding(
                    Id,
                    Severity.Critical,
                    $"The Corefile forwards {forward.From} to {target.Address}, which is cluster DNS itself",
                    evidence.CorefileSource ?? "kube-system/coredns",
                    [$"Corefile ({evidence.CorefileSource}) line {forward.Line}: {forward.Plugin} {forward.From} {string.Join(' ', forward.Targets.Select(t => t.Text))}",
                     $"{target.Endpoint!.Address} is {Describe(target.Endpoint.Address, evidence)}"],
                    $"kubectl -n {ClusterEvidence.DnsNamespace} edit configmap coredns: forward {forward.From} to the real upstream resolvers' IPs")
                {
                    Node = PodFacts.CommonNode(evidence.DnsPods),
                };
            }

            if (!forward.UsesResolvConf)
            {
                continue;
            }

            foreach (var group in evidence.DnsPods.Where(p => p.Spec?.NodeName is not null).GroupBy(p => p.Spec!.NodeName, StringComparer.Ordinal))
            {
                var node = group.Key;
                var policy = group.First().Spec?.DnsPolicy ?? "ClusterFirst";
                string? fileLine = null;
                IPAddress? looping = null;
                if (policy is "ClusterFirst" && evidence.ClusterDnsIp is { } clusterIp && IPAddress.TryParse(clusterIp, out var ip))
                {
                    // A CoreDNS pod under ClusterFirst gets the cluster DNS address itself as /etc/resolv.conf.
                    looping = ip;
                    fileLine = $"CoreDNS pods use dnsPolicy {policy}: their /etc/resolv.conf names the kube-dns ClusterIP {clusterIp}";
                }
                else if (policy is "Default" && evidence.NodeResolvConfs.TryGetValue(node, out var text))
                {
                    var resolv = ResolvConf.Parse(text);
                    looping = resolv.Nameservers.FirstOrDefault(n => IsSelf(n, selfAddresses));
                    fileLine = $"nodes/{node}/resolv.conf: nameserver {string.Join(", ", resolv.Nameservers)} (CoreDNS pods use dnsPolicy Default, so this is their /etc/resolv.conf)";
                }

                if (looping is null || fileLine is null)
                {
                    continue;
                }

                var lines = new List<string>
                {
                    $"Corefile ({evidence.CorefileSource}) line {forward.Line}: {forward.Plugin} {forward.From} {string.Join(' ', forward.Targets.Select(t => t.Text))}",
                    fileLine,
                    $"{looping} is {Describe(looping, evidence)}",
                    $"CoreDNS pods on node {node}: {string.Join(", ", group.Select(PodFacts.Name))}",
                };
                yield return new Finding(
                    Id,
                    Severity.Critical,
                    $"CoreDNS on node {node} forwards to /etc/resolv.conf, which points back at {looping}",
                    $"node/{node}",
                    lines,
                    Remediation(node))
                {
                    Node = node,
                };
            }
        }
    }

    private static IEnumerable<string> ConfigLines(ClusterEvidence evidence) =>
        (evidence.Corefile?.Forwards ?? []).Select(f => $"Corefile ({evidence.CorefileSource}) line {f.Line}: {f.Plugin} {f.From} {string.Join(' ', f.Targets.Select(t => t.Text))}");

    private static string Remediation(string? node) =>
        $"kubectl -n {ClusterEvidence.DnsNamespace} edit configmap coredns: replace `forward . /etc/resolv.conf` by the real upstream IPs, "
        + $"or point kubelet's resolvConf on {node ?? "the node"} at the real file (systemd-resolved: /run/systemd/resolve/resolv.conf); "
        + $"then kubectl -n {ClusterEvidence.DnsNamespace} rollout restart deployment coredns";

    private static HashSet<IPAddress> SelfAddresses(ClusterEvidence evidence)
    {
        var self = new HashSet<IPAddress>();
        if (evidence.ClusterDnsIp is { } clusterIp && IPAddress.TryParse(clusterIp, out var ip))
        {
            self.Add(ip);
        }

        foreach (var pod in evidence.DnsPods)
        {
            if (PodFacts.PodIp(pod) is { } podIp && IPAddress.TryParse(podIp, out var address))
            {
                self.Add(address);
            }
        }

        return self;
    }

    private static bool IsSelf(IPAddress address, HashSet<IPAddress> self) => IPAddress.IsLoopback(address) || self.Contains(address);

    private static string Describe(IPAddress address, ClusterEvidence evidence)
    {
        if (IPAddress.IsLoopback(address))
        {
            return "a loopback stub resolver (inside the CoreDNS pod it is CoreDNS itself)";
        }

        if (address.ToString() == evidence.ClusterDnsIp)
        {
            return "the kube-dns Service ClusterIP";
        }

        return "a CoreDNS pod IP";
    }
}
