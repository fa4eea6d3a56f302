using KubeTriage.Findings;

namespace KubeTriage.Wire.Analyzers;

/// <summary>
/// <c>dependency.slow</c>: one peer holds a large share of the pod's waiting time. Waiting already
/// explained by slow queries (<c>mysql.slow-query</c>) is set aside first, so that once the database is
/// accounted for, a hidden slow dependency still stands out. Raised when the peer holds at least
/// <see cref="MinShare"/> of the remaining waiting time, at least <see cref="MinBusyNs"/> of it, and its
/// waits are long on average (at least <see cref="MinMeanWaitNs"/>), so that a healthy app that makes many
/// fast calls to its one dependency is not flagged. Linked to <c>dns.unexpected-answer</c> when the peer's
/// address came from a DNS answer outside the expected ranges, to <c>tcp.retransmissions</c> when the
/// path to the peer loses packets, and to <c>dns.slow-response</c> when the peer is a resolver that answered late.
/// </summary>
public sealed class DependencySlowAnalyzer : IAnalyzer<CaptureContext>
{
    public const double MinShare = 0.5;
    public const long MinBusyNs = 1_000_000_000;
    public const long MinMeanWaitNs = 100_000_000;

    public string Id => FindingIds.DependencySlow;

    public string Title => "A dependency holds most of the pod's waiting time";

    public IEnumerable<Finding> Analyze(CaptureContext context)
    {
        var evidence = context.Evidence;
        var explained = evidence.MySqlStatements.GroupBy(s => s.Server.Address).ToDictionary(g => g.Key, g => g.Sum(s => s.SlowTotalNs));
        var explainedTotal = explained.Values.Sum();
        var remainingTotal = Math.Max(0, evidence.PodAnsweredBusyNs - explainedTotal);
        // When slow queries were set aside, the share is of the rest: say so, or "100% of the waiting time"
        // would read as if the slow queries reported next to it took no time.
        var outside = explainedTotal > 0
            ? $" outside the slow queries ({WireText.Duration(explainedTotal)}, {FindingIds.MySqlSlowQuery})"
            : string.Empty;
        if (remainingTotal < MinBusyNs)
        {
            yield break;
        }

        var unexpected = ExpectationMatch.UnexpectedAnswers(evidence, context.Expectations).ToList();
        var lossy = TcpRetransmissionsAnalyzer.LossyPeers(evidence).Where(l => l.PodIsClient).ToLookup(l => l.Peer);
        foreach (var peer in evidence.Peers)
        {
            var remaining = Math.Max(0, peer.AnsweredBusyNs - explained.GetValueOrDefault(peer.Ip));
            var share = (double)remaining / remainingTotal;
            if (remaining < MinBusyNs || share < MinShare || peer.Waits == 0 || peer.WaitSumNs / peer.Waits < MinMeanWaitNs)
            {
                continue;
            }

            var lines = new List<string>
            {
                $"the pod waited {WireText.Duration(peer.AnsweredBusyNs)} on {peer.Display}: {WireText.Percent(share)} of its {WireText.Duration(remainingTotal)} of waiting{outside}"
                + (evidence.WindowSeconds is { } window ? $" in the {WireText.Duration((long)(window * 1e9))} capture" : string.Empty),
                $"{WireText.Count(peer.Waits, "wait")} (connects, requests), mean {WireText.Duration(peer.WaitSumNs / peer.Waits)}, longest {WireText.Duration(peer.WaitMaxNs)};"
                + $" {WireText.Count(peer.Transactions, "transaction")}, {WireText.Count(peer.Connections, "connection")}, ports {string.Join(", ", peer.Ports)} ({string.Join(", ", peer.Protocols)})",
            };
            if (explained.GetValueOrDefault(peer.Ip) is > 0 and var slow)
            {
                lines.Add($"{WireText.Duration(slow)} of it are slow queries, reported as {FindingIds.MySqlSlowQuery}; this counts the rest");
            }

            lines.AddRange(SlowestTransactions(evidence, peer));
            var causes = unexpected.Where(u => u.Outside.Contains(peer.Ip.ToString())).ToList();
            foreach (var cause in causes.Take(2))
            {
                lines.Add($"the pod got this address from DNS: {cause.Answer.Server} answered {cause.Answer.Name} → {string.Join(", ", cause.Answer.Addresses)}"
                    + $" at {WireText.Clock(cause.Answer.FirstTimeNs)}, outside the expected {string.Join(", ", cause.Dependency.ResolvesTo)}");
            }

            foreach (var loss in lossy[peer.Ip])
            {
                lines.Add($"{WireText.Percent(loss.Share)} of the TCP data on port {loss.Port} was sent again ({loss.Again} of {loss.Segments} segments):"
                    + $" packets are lost on the way ({FindingIds.TcpRetransmissions})");
            }

            var lateDns = evidence.DnsLatency.Where(g => g.Server == peer.Ip && g.Late > 0 && evidence.IsPod(g.Client)).ToList();
            if (lateDns.Count > 0)
            {
                lines.Add($"{lateDns.Sum(g => g.Late)} of its {WireText.Count(lateDns.Sum(g => g.Answered), "DNS answer")} came {WireText.Duration(evidence.SlowDnsNs)} or more"
                    + $" after the question was first sent, {lateDns.Sum(g => g.LateResent)} of them only after a re-send ({FindingIds.DnsSlowResponse})");
            }

            if (causes.Count == 0 && peer.Names.Count > 0)
            {
                var answer = evidence.DnsAnswers.FirstOrDefault(a => a.Addresses.Contains(peer.Ip.ToString()));
                if (answer is not null)
                {
                    lines.Add($"the address came from DNS: {answer.Server} answered {answer.Name} → {string.Join(", ", answer.Addresses)} at {WireText.Clock(answer.FirstTimeNs)}");
                }
            }

            yield return new Finding(
                Id,
                Severity.Warning,
                $"{peer.Display} holds {WireText.Percent(share)} of the pod's waiting time{(explainedTotal > 0 ? " outside slow queries" : string.Empty)} ({WireText.Duration(remaining)})",
                peer.Display,
                lines,
                Remediation(evidence, peer, causes.Count > 0))
            {
                CausedBy = [.. causes.Count > 0 ? [FindingIds.DnsUnexpectedAnswer] : Array.Empty<string>(),
                    .. lossy[peer.Ip].Any() ? [FindingIds.TcpRetransmissions] : Array.Empty<string>(),
                    .. lateDns.Count > 0 ? [FindingIds.DnsSlowResponse] : Array.Empty<string>()],
            };
        }
    }

    private static IEnumerable<string> SlowestTransactions(CaptureEvidence evidence, PeerEvidence peer)
    {
        var slowest = evidence.Http.Where(t => t.Server.Address == peer.Ip && t.LastByteTimeNs is not null)
            .Select(t => (Ns: t.LastByteTimeNs!.Value - t.RequestTimeNs, t.RequestTimeNs,
                Text: $"HTTP {t.Method} {t.Host}{t.Path} → {t.Status}{(t.Gaps > 0 ? $" ({WireText.CaptureGaps(t.Gaps)})" : string.Empty)}", t.RequestFrame, t.File))
            .Concat(evidence.MySql.Where(t => t.Server.Address == peer.Ip && t.ResponseTimeNs is not null)
                .Select(t => (Ns: t.ResponseTimeNs!.Value - t.RequestTimeNs, t.RequestTimeNs,
                    Text: $"MySQL {t.CommandName} {t.Query}", t.RequestFrame, t.File)))
            .Concat(evidence.Dns.Where(t => t.Server.Address == peer.Ip && t.ResponseTimeNs is not null)
                .Select(t => (Ns: t.ResponseTimeNs!.Value - t.QueryTimeNs, RequestTimeNs: t.QueryTimeNs,
                    Text: $"DNS {t.Name} {DnsNames.TypeName(t.QueryType)}", RequestFrame: t.QueryFrame, t.File)))
            .OrderByDescending(t => t.Ns).ThenBy(t => t.RequestTimeNs).Take(3);
        foreach (var t in slowest)
        {
            var text = t.Text.Length > 100 ? t.Text[..100] + "…" : t.Text;
            yield return $"{text}: {WireText.Duration(t.Ns)} at {WireText.Clock(t.RequestTimeNs)} ({WireText.Frame(t.RequestFrame, t.File)})";
        }
    }

    private static string Remediation(CaptureEvidence evidence, PeerEvidence peer, bool wrongAnswer)
    {
        var pod = evidence.Pod.Ips.Count > 0 ? evidence.Pod.Ips[0].ToString() : "<pod-ip>";
        var name = peer.Names.Count > 0 ? peer.Names[0] : null;
        var lines = new List<string>
        {
            wrongAnswer
                ? $"{peer.Ip} is not where {name} should lead: fix the DNS record (see {FindingIds.DnsUnexpectedAnswer}); until then every call takes the slow path."
                : $"Find out why {peer.Ip} is slow, and whether the pod should use it at all (a hidden dependency, a wrong DNS answer, a slow path):",
        };
        if (name is not null)
        {
            lines.Add($"  kubetriage dns {name}                 # which address each resolver gives, against what is expected");
        }

        lines.Add($"  ip route get {peer.Ip} from {pod}   # the path the pod's packets take");
        lines.Add($"  kubetriage capture … --write-expect expect.yaml   # on a healthy capture, then rerun with --expect to catch deviations");
        return string.Join('\n', lines);
    }
}
