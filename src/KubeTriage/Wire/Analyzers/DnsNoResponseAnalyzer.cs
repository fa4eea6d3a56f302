using KubeTriage.Findings;

namespace KubeTriage.Wire.Analyzers;

/// <summary>
/// <c>dns.no-response</c>: the pod's DNS queries got no answer. One finding per resolver, naming the
/// names asked. Critical when none of the pod's resolvers answered anything, or when a name never got an
/// answer from anyone; warning when a retry or another resolver covered for it. Queries sent in the
/// capture's last second are not judged, unless an ICMP error already said no answer would come.
/// </summary>
public sealed class DnsNoResponseAnalyzer : IAnalyzer<CaptureContext>
{
    private const int MaxNames = 5;

    public string Id => FindingIds.DnsNoResponse;

    public string Title => "DNS queries without an answer";

    public IEnumerable<Finding> Analyze(CaptureContext context)
    {
        var evidence = context.Evidence;
        var pod = evidence.DnsGroups.Where(g => evidence.IsPod(g.Client)).ToList();
        // A query sent just before the capture ended may have been answered after it, unless the network
        // already said no answer would come (an ICMP error about the pod's packets to that server).
        var refusedByNetwork = evidence.IcmpErrors
            .Where(e => e.OriginalDestination.Port == 53 && evidence.IsPod(e.OriginalSource))
            .Select(e => e.OriginalDestination.Address).ToHashSet();
        var unanswered = pod.Where(g => !g.Answered)
            .Select(g => refusedByNetwork.Contains(g.Server) ? g with { AtCaptureEnd = 0 } : g)
            .Where(g => g.Count - g.AtCaptureEnd > 0)
            .ToList();
        if (unanswered.Count == 0)
        {
            yield break;
        }

        var servers = pod.Select(g => g.Server).Distinct().OrderBy(s => s, AddressOrder.Instance).ToList();
        var answeringServers = pod.Where(g => g.Answered).Select(g => g.Server).ToHashSet();
        var queried = pod.Select(g => g.Name).ToHashSet(StringComparer.Ordinal);
        var answeredBases = pod.Where(g => g.Answered).Select(g => SearchPath.BaseOf(g.Name, queried)).ToHashSet(StringComparer.Ordinal);
        var allFailed = answeringServers.Count == 0;
        var podIp = evidence.Pod.Ips.Count > 0 ? evidence.Pod.Ips[0].ToString() : unanswered[0].Client.ToString();

        foreach (var byServer in unanswered.GroupBy(g => g.Server).OrderBy(g => g.Key, AddressOrder.Instance))
        {
            var server = byServer.Key;
            var groups = byServer.ToList();
            var queries = groups.Sum(g => g.Count - g.AtCaptureEnd);
            var first = groups.Min(g => g.FirstTimeNs);
            var last = groups.Max(g => g.LastTimeNs);
            // Search-path tries (name.ns.svc.cluster.local, …) are grouped under the name the app asked for.
            var names = groups.GroupBy(g => SearchPath.BaseOf(g.Name, queried))
                .Select(n => (Name: n.Key, Tried: n.Select(g => g.Name).Distinct().Where(t => t != n.Key).ToList(),
                    Count: n.Sum(g => g.Count - g.AtCaptureEnd), Retries: n.Sum(g => g.Retransmissions), First: n.MinBy(g => g.FirstTimeNs)!))
                .Where(n => n.Count > 0)
                .OrderByDescending(n => n.Count).ThenBy(n => n.Name, StringComparer.Ordinal).ToList();
            var neverAnswered = names.Where(n => !answeredBases.Contains(n.Name)).Select(n => n.Name).ToList();

            var lines = new List<string>
            {
                $"{WireText.Count(queries, "query", "queries")} to {server} {WireText.Between(first, last)} got no answer"
                + (answeringServers.Contains(server) ? " (it answered other queries)" : " (it answered none)"),
            };
            foreach (var n in names.Take(MaxNames))
            {
                var fate = answeredBases.Contains(n.Name) ? "answered elsewhere or later" : "never answered by any resolver";
                var tried = n.Tried.Count == 0 ? string.Empty : $" (tried as {WireText.List(n.Tried, 2)})";
                var retries = n.Retries > 0 ? $" sent {WireText.Count(n.Count + n.Retries, "time")}" : string.Empty;
                lines.Add($"{n.Name}: {WireText.Count(n.Count, "query", "queries")}{retries}{tried}, first at {WireText.Clock(n.First.FirstTimeNs)}"
                    + $" ({WireText.Frame(n.First.FirstFrame, n.First.File)}); {fate}");
            }

            if (names.Count > MaxNames)
            {
                lines.Add($"and {names.Count - MaxNames} more names");
            }

            var icmp = evidence.IcmpErrors
                .Where(e => e.OriginalDestination.Address == server && e.OriginalDestination.Port == 53 && evidence.IsPod(e.OriginalSource))
                .ToList();
            foreach (var error in icmp.GroupBy(e => (e.Reporter, e.Description)).Take(3))
            {
                var firstError = error.MinBy(e => e.FirstTimeNs)!;
                lines.Add($"ICMP {error.Key.Description} from {error.Key.Reporter} answered {WireText.Count(error.Sum(e => e.Count), "query", "queries")} instead,"
                    + $" first at {WireText.Clock(firstError.FirstTimeNs)} ({WireText.Frame(firstError.FirstFrame, firstError.File)})");
            }

            var nothingListens = icmp.Any(e => e.Description == "port unreachable");
            if (allFailed)
            {
                lines.Add($"none of the pod's resolvers ({string.Join(", ", servers)}) answered any query in the capture");
            }

            var atEnd = groups.Sum(g => g.AtCaptureEnd);
            if (atEnd > 0)
            {
                lines.Add($"{WireText.Count(atEnd, "more query", "more queries")} sent in the capture's last second are not counted");
            }

            var name = names[0].Name;
            var fix = nothingListens
                ? $"Nothing listens on {server}:53 (the port-unreachable answers say so). When {server} is the cluster DNS Service, its endpoints are missing or CoreDNS is down:\n"
                    + "  kubectl -n kube-system get endpoints kube-dns\n"
                    + "  kubectl -n kube-system get pods -l k8s-app=kube-dns -o wide\n"
                : "Check the resolver and the path to it:\n";
            yield return new Finding(
                Id,
                allFailed || neverAnswered.Count > 0 ? Severity.Critical : Severity.Warning,
                $"DNS queries to {server} got no answer ({WireText.Count(queries, "query", "queries")}, {WireText.Count(names.Count, "name")})",
                $"DNS server {server}",
                lines,
                fix
                + $"  kubetriage dns {name} --resolver {server}   # does it answer, and how fast?\n"
                + $"  kubetriage cluster   # cluster DNS: CoreDNS replicas, endpoints, logs\n"
                + $"  tcpdump -ni any host {podIp} and port 53   # on the node: which NIC do queries leave by, does anything return?");
        }
    }
}
