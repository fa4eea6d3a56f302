using System.Text;
using KubeTriage.Capture.Primitives;
using KubeTriage.Capture.Protocols.Dns;
using KubeTriage.Findings;

namespace KubeTriage.Wire.Analyzers;

/// <summary>
/// <c>dns.slow-response</c>: a resolver the pod asked answered some of its questions only a second or more
/// (<see cref="CaptureEvidence.SlowDnsNs"/>) after they were first sent. Most often the first query or its answer
/// was lost and the pod's resolver sent it again after its timeout (glibc: 5 s), the classic "every few requests
/// take 5 s more": the conntrack insert race of A and AAAA sent together from one socket, an unready or overloaded
/// CoreDNS replica behind the Service, a slow upstream. One warning per resolver. Waits run from the question's
/// first send to its answer, re-sends from a new port or with a new id included (<see cref="DnsLatencyGroup"/>).
/// Queries that never got an answer are <c>dns.no-response</c>'s; when the first copies of late answers are among
/// them, the evidence says so.
/// </summary>
public sealed class DnsSlowResponseAnalyzer : IAnalyzer<CaptureContext>
{
    private const long Second = 1_000_000_000;

    public string Id => FindingIds.DnsSlowResponse;

    public string Title => "DNS answers that came late";

    public IEnumerable<Finding> Analyze(CaptureContext context)
    {
        var evidence = context.Evidence;
        var servers = evidence.DnsLatency.Where(g => evidence.IsPod(g.Client))
            .GroupBy(g => g.Server)
            .Where(s => s.Sum(g => g.Late) > 0)
            .OrderBy(s => s.Key, AddressOrder.Instance);
        foreach (var server in servers)
        {
            yield return Judge(evidence, server.Key, server.ToList());
        }
    }

    private Finding Judge(CaptureEvidence evidence, NetAddress server, List<DnsLatencyGroup> groups)
    {
        var answered = groups.Sum(g => g.Answered);
        var late = groups.Sum(g => g.Late);
        var resent = groups.Sum(g => g.LateResent);
        var lostFirst = groups.Sum(g => g.LateAnsweredAfterResend);
        var reasked = groups.Sum(g => g.LateReasked);
        var earlier = groups.Sum(g => g.LateEarlierQueries);
        var twins = groups.Sum(g => g.LateTwins);
        var floor = Floor(groups.Where(g => g.Late > 0).Min(g => g.LateMinNs), evidence.SlowDnsNs);
        var clients = string.Join(", ", groups.Select(g => g.Client).Distinct().Order(AddressOrder.Instance));

        // A pod has one address per family and a resolver one address, so there is one group here in practice;
        // with several, the distribution is the busiest one's and the longest wait is everyone's.
        var main = groups.MaxBy(g => g.Answered)!;
        var firstLate = groups.Where(g => g.Late > 0).Min(g => g.FirstLateNs);
        var lastLate = groups.Max(g => g.LastLateNs);
        var lines = new List<string>
        {
            $"{late} of {WireText.Count(answered, "answer")} from {server} to {clients} came {floor} or more after the question was first sent, "
            + (late == 1 ? $"asked at {WireText.Clock(firstLate)}" : $"asked between {WireText.Clock(firstLate)} and {WireText.Clock(lastLate)}")
            + $"; wait from first send to answer: median {WireText.Duration(main.MedianNs)}, p99 {WireText.Duration(main.P99Ns)}, longest {WireText.Duration(groups.Max(g => g.MaxNs))}",
        };
        if (resent > 0)
        {
            var intervalMin = groups.Where(g => g.LateResent > 0).Min(g => g.ResendIntervalMinNs);
            var intervalMax = groups.Max(g => g.ResendIntervalMaxNs);
            var interval = intervalMax - intervalMin <= intervalMax / 20
                ? WireText.Duration(intervalMax)
                : $"{WireText.Duration(intervalMin)} to {WireText.Duration(intervalMax)}";
            var line = $"{Which(resent, late)} answered only after the pod sent the query again: re-sent after {interval}";
            if (lostFirst == resent)
            {
                line += $", then answered within {WireText.Duration(groups.Max(g => g.AfterResendMaxNs))}: the first query or its answer was lost";
            }
            else if (lostFirst > 0)
            {
                line += $"; {lostFirst} answered soon after the re-send (the first copy or its answer was lost),"
                    + $" {resent - lostFirst} late even after it (up to {WireText.Duration(groups.Max(g => g.AfterResendMaxNs))}): the resolver itself was slow";
            }
            else
            {
                line += $", and still answered late after it (up to {WireText.Duration(groups.Max(g => g.AfterResendMaxNs))}): the resolver itself was slow";
            }

            lines.Add(line);
        }

        if (late > resent)
        {
            lines.Add($"{Which(late - resent, late)} late without a re-send: {server} took that long to answer (a slow upstream, an overloaded CoreDNS replica)");
        }

        if (twins > 0)
        {
            var lateA = groups.Sum(g => g.LateA);
            var lateAaaa = groups.Sum(g => g.LateAaaa);
            lines.Add($"{(twins == late ? (late == 1 ? "it" : $"all {late}") : $"{twins} of the {late}")} went out together with the name's other address query from one"
                + $" source port, as glibc and musl send A and AAAA (late: {lateAaaa} AAAA, {lateA} A): the signature of the conntrack insert race on the node,"
                + " which drops one of the two");
        }

        if (reasked > 0)
        {
            lines.Add($"{(reasked == resent ? (resent == 1 ? "the re-send" : "every re-send") : $"{reasked} of the {resent} re-sends")} asked again from a new source port"
                + " or with a new id (glibc single-request-reopen, Go), or after kubetriage's 5 s DNS timeout had given the first copy up: "
                + (earlier == 1 ? "the earlier query got no answer and counts" : $"the {earlier} earlier queries got no answer and count") + $" in {FindingIds.DnsNoResponse} too");
        }

        var examples = groups.SelectMany(g => g.Examples).OrderBy(t => t.FirstSentNs).ThenBy(t => t.QueryFrame).Take(3).ToList();
        lines.AddRange(examples.Select(Example));

        var unanswered = evidence.DnsGroups.Where(g => !g.Answered && g.Server == server && evidence.IsPod(g.Client)).Sum(g => g.Count - g.AtCaptureEnd);
        if (unanswered > earlier)
        {
            lines.Add($"{WireText.Count(unanswered - earlier, "other query", "other queries")} to {server} got no answer at all: see {FindingIds.DnsNoResponse}");
        }

        var name = examples.Count > 0 ? DnsNames.Normalize(examples[0].Name) : "NAME";
        return new Finding(
            Id,
            Severity.Warning,
            $"{late} of {WireText.Count(answered, "DNS answer")} from {server} took {floor} or more",
            $"DNS server {server}",
            lines,
            Remediation(server, name, twins > 0, late > resent));
    }

    /// <summary>"it was", "all 12 were", "3 of the 12 were".</summary>
    private static string Which(long some, long all) => some == all ? (all == 1 ? "it was" : $"all {all} were") : $"{some} of the {all} were";

    /// <summary>The threshold the title can promise: the shortest late wait in whole seconds, never below the slow threshold.</summary>
    private static string Floor(long lateMinNs, long slowNs) =>
        lateMinNs >= Second && lateMinNs / Second * Second >= slowNs ? $"{lateMinNs / Second} s" : WireText.Duration(slowNs);

    /// <summary>"api.example.com AAAA at 12:00:01.123 (frame 14 in any.pcap), sent 2 times, answered 5.00 s later (frame 40)".</summary>
    private static string Example(DnsTransaction t)
    {
        var first = t.Earlier;
        var sends = t.Resends == 0 ? "sent once" : $"sent {t.Resends + 1} times";
        if (first is not null && first.Client.Port != t.Client.Port)
        {
            sends += $" (from port {first.Client.Port}, then {t.Client.Port})";
        }

        return $"{DnsNames.Normalize(t.Name)} {DnsNames.TypeName(t.QueryType)} at {WireText.Clock(t.FirstSentNs)}"
            + $" ({WireText.Frame(first?.Frame ?? t.QueryFrame, first?.File ?? t.File)}), {sends}, answered {WireText.Duration(t.WaitNs ?? 0)} later"
            + (t.ResponseFrame is { } frame ? $" (frame {frame})" : string.Empty);
    }

    private static string Remediation(NetAddress server, string name, bool race, bool slowServer)
    {
        var text = new StringBuilder();
        if (race)
        {
            text.Append("A and AAAA sent at once from one socket race in the node's conntrack table, and the loser is dropped. On the pod's node:\n")
                .Append("  conntrack -S   # insert_failed and drop that grow while the pod waits = the race\n")
                .Append("Let the resolver re-send from a new socket (glibc; musl/Alpine ignores it), or take conntrack out of the path with NodeLocal DNSCache:\n")
                .Append("  kubectl patch deployment DEPLOYMENT --type merge -p '{\"spec\":{\"template\":{\"spec\":{\"dnsConfig\":{\"options\":[{\"name\":\"single-request-reopen\"}]}}}}}'\n")
                .Append("  kubectl -n kube-system get daemonset node-local-dns   # NodeLocal DNSCache, if installed\n");
        }
        else
        {
            text.Append($"Find where queries to {server} are lost or held up:\n")
                .Append("  conntrack -S   # on the pod's node: insert_failed and drop that grow while the pod waits = the A/AAAA conntrack race\n");
        }

        text.Append("  kubectl exec -n NAMESPACE POD -- cat /etc/resolv.conf   # nameserver, options timeout:N attempts:N single-request-reopen\n")
            .Append("  kubectl -n kube-system get pods -l k8s-app=kube-dns -o wide   # every CoreDNS replica Ready, not restarting?\n")
            .Append("  kubectl -n kube-system logs -l k8s-app=kube-dns --since=15m --prefix | grep -iE 'timeout|error'"
                + (slowServer ? "   # slow or failing upstreams, overload\n" : "\n"))
            .Append($"  kubetriage dns {name} --resolver {server}   # time each resolver now");
        return text.ToString();
    }
}
