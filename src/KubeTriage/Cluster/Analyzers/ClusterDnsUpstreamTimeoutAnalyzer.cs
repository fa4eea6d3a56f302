using KubeTriage.Cluster.Logs;
using KubeTriage.Findings;

namespace KubeTriage.Cluster.Analyzers;

/// <summary>
/// CoreDNS logged failures to reach its upstream resolvers (errors plugin <c>read udp A-&gt;B:53: i/o timeout</c>,
/// refused, unreachable, <c>no healthy proxies</c>, start-up HINFO loop probes). One finding per CoreDNS pod,
/// naming every upstream with its count and first/last lines.
/// </summary>
public sealed class ClusterDnsUpstreamTimeoutAnalyzer : IAnalyzer<ClusterEvidence>
{
    /// <summary>At or above this many failures in the log window the finding is critical: lookups are failing, not just slow.</summary>
    public const int CriticalCount = 10;

    public string Id => FindingIds.ClusterDnsUpstreamTimeout;

    public string Title => "CoreDNS cannot reach its upstream resolvers";

    public IEnumerable<Finding> Analyze(ClusterEvidence evidence)
    {
        foreach (var pod in evidence.DnsPods)
        {
            var logs = evidence.LogsFor(pod);
            var upstreams = CoreDnsAddressStatsMerger.Merge(logs.Select(l => l.Summary.Upstreams));
            var total = upstreams.Sum(u => u.Count);
            if (total == 0)
            {
                continue;
            }

            var node = pod.Spec?.NodeName;
            var named = upstreams.Where(u => u.Address != CoreDnsLogSummary.UnknownAddress).Select(u => u.Address).ToList();
            var lines = new List<string>
            {
                $"pod {PodFacts.Key(pod)} on node {PodFacts.NodeLabel(pod)}: {total} upstream failures in {string.Join(" + ", logs.Select(l => l.Log.Previous ? "previous log" : "current log"))}",
            };
            foreach (var upstream in upstreams)
            {
                var probes = upstream.LoopProbes > 0 ? $", {upstream.LoopProbes} of them start-up HINFO loop probes" : string.Empty;
                lines.Add($"upstream {upstream.Address}: {upstream.Count} failures ({CoreDnsAddressStatsMerger.DescribeKinds(upstream)}){probes}");
                lines.Add($"  first: {upstream.First.Sample()}");
                if (upstream.Count > 1)
                {
                    lines.Add($"  last:  {upstream.Last.Sample()}");
                }
            }

            foreach (var forward in evidence.Corefile?.Forwards ?? [])
            {
                lines.Add($"Corefile ({evidence.CorefileSource}) line {forward.Line}: {forward.Plugin} {forward.From} {string.Join(' ', forward.Targets.Select(t => t.Text))}");
            }

            var podIp = PodFacts.PodIp(pod);
            var digs = named.Count > 0
                ? string.Join("; ", named.Select(u => $"dig @{HostOf(u)} -p {PortOf(u)} kubernetes.io"))
                : "dig @<upstream> kubernetes.io";
            var nodeText = node is null ? "the CoreDNS pod's node" : $"node {node}";
            yield return new Finding(
                Id,
                total >= CriticalCount ? Severity.Critical : Severity.Warning,
                named.Count > 0
                    ? $"CoreDNS pod {PodFacts.Name(pod)} gets no answer from upstream {string.Join(", ", named)} ({total} failures)"
                    : $"CoreDNS pod {PodFacts.Name(pod)} gets no answer from its upstreams ({total} failures)",
                PodFacts.Key(pod),
                lines,
                $"from {nodeText} (and from the CoreDNS pod's network), ask each upstream directly: {digs}; kubetriage dns --resolver {string.Join(" --resolver ", named.Count > 0 ? named.Select(HostOf) : ["<upstream>"])} <name>"
                + PodFacts.NodeCheckHint(node, podIp))
            {
                Node = node,
            };
        }
    }

    private static string HostOf(string address)
    {
        var colon = address.LastIndexOf(':');
        return colon > 0 ? address[..colon].Trim('[', ']') : address;
    }

    private static string PortOf(string address)
    {
        var colon = address.LastIndexOf(':');
        return colon > 0 ? address[(colon + 1)..] : "53";
    }
}
