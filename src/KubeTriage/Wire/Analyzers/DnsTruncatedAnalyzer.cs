using KubeTriage.Capture.Primitives;
using KubeTriage.Findings;

namespace KubeTriage.Wire.Analyzers;

/// <summary>
/// <c>dns.truncated</c>: a DNS server answered the pod over UDP with a truncated answer (the TC bit: the records did
/// not fit) and the pod never got the full answer over TCP. Either its resolver does not fall back to TCP (musl libc,
/// as in Alpine images, before 1.2.4) or its questions over TCP went unanswered (TCP port 53 blocked by a network
/// policy or firewall, a server that serves UDP only). The app gets no address, or not all of them, for names with
/// many records. Names whose TCP retry was answered are healthy (only slower) and not reported. One finding per
/// server. Critical when none of the server's truncated questions got an answer over TCP, warning when some did. Linked to
/// <c>tcp.connect-no-reply</c> or <c>tcp.connect-refused</c> when the pod's connects to the server's port 53 failed.
/// </summary>
public sealed class DnsTruncatedAnalyzer : IAnalyzer<CaptureContext>
{
    private const int MaxNames = 5;

    public string Id => FindingIds.DnsTruncated;

    public string Title => "Truncated DNS answers the pod never got in full";

    public IEnumerable<Finding> Analyze(CaptureContext context)
    {
        var evidence = context.Evidence;
        var servers = evidence.DnsTruncations.Where(g => evidence.IsPod(g.Client))
            .GroupBy(g => g.Server)
            .Where(s => s.Any(g => g.Unresolved))
            .OrderBy(s => s.Key, AddressOrder.Instance);
        foreach (var server in servers)
        {
            yield return Judge(evidence, server.Key, server.ToList());
        }
    }

    private Finding Judge(CaptureEvidence evidence, NetAddress server, List<DnsTruncationGroup> groups)
    {
        var unresolved = groups.Where(g => g.Unresolved).ToList();
        long asked = unresolved.Sum(g => g.AskedOverTcp);
        long truncated = unresolved.Sum(g => g.Truncated);
        var connects = evidence.TcpGroups.Where(g => evidence.IsPod(g.Client) && g.Server.Address == server && g.Server.Port == 53).ToList();
        long failedConnects = connects.Sum(g => g.NoReply + g.Refused);
        bool anyTcpDns = evidence.TcpGroups.Any(g => evidence.IsPod(g.Client) && g.Server.Port == 53 && g.Established > 0);
        var names = unresolved.Select(g => $"{g.Name} {DnsNames.TypeName(g.QueryType)}").Distinct().ToList();

        var lines = new List<string>
        {
            $"{WireText.Count(truncated, "truncated answer")} from {server} to the pod for {WireText.Count(unresolved.Count, "question")} without an answer over TCP afterwards:"
            + $" {WireText.List(names, MaxNames)}",
        };
        foreach (var g in unresolved.OrderBy(g => g.FirstTimeNs).Take(3))
        {
            var first = g.Examples[0];
            lines.Add($"{g.Name} {DnsNames.TypeName(g.QueryType)}: {WireText.Count(g.Truncated, "truncated answer")}, the first at {WireText.Clock(g.FirstTimeNs)}"
                + $" ({WireText.Frame(first.ResponseFrame ?? first.QueryFrame, first.File)})"
                + (g.AskedOverTcp > 0 ? $"; asked again over TCP {WireText.Count(g.AskedOverTcp, "time")}, never answered" : "; never asked again over TCP"));
        }

        var resolved = groups.Count(g => !g.Unresolved);
        if (resolved > 0)
        {
            lines.Add($"{WireText.Count(resolved, "other truncated question")} got its answer over TCP: the pod's resolver does fall back there");
        }

        string cause;
        string[] causedBy = [];
        if (failedConnects > 0)
        {
            var noReply = connects.Sum(g => g.NoReply) > 0;
            cause = $"the pod's connects to {server}:53 over TCP failed ({connects.Sum(g => g.NoReply)} without answer, {connects.Sum(g => g.Refused)} refused):"
                + " TCP port 53 is blocked on the way or the server does not serve DNS over TCP";
            causedBy = [noReply ? FindingIds.TcpConnectNoReply : FindingIds.TcpConnectRefused];
        }
        else if (asked > 0)
        {
            cause = $"the pod asked again over TCP {WireText.Count(asked, "time")} and got no answer there";
        }
        else if (!anyTcpDns)
        {
            cause = "the pod asked no DNS question over TCP in the whole capture: its resolver does not fall back to TCP on a truncated answer"
                + " (musl libc, as in Alpine images, before 1.2.4), so the app gets no address, or not all of them, for these names";
        }
        else
        {
            cause = "the pod asks other questions over TCP, but not these: the app (or its resolver library) ignores the truncation";
        }

        lines.Add(cause);
        var name = unresolved[0].Name;
        var type = DnsNames.TypeName(unresolved[0].QueryType);
        return new Finding(
            Id,
            unresolved.Count == groups.Count ? Severity.Critical : Severity.Warning,
            $"{server} sent the pod truncated DNS answers it never got in full over TCP ({WireText.List(names, 3)})",
            $"DNS server {server}",
            lines,
            "The answer does not fit a UDP datagram (512 bytes without EDNS), and the pod does not get it over TCP. Check both sides:\n"
            + $"  dig +ignore +noedns {name} {type} @{server}   # flags: tc, the truncated answer\n"
            + $"  dig +tcp {name} {type} @{server}   # from the pod's node or a debug pod: is the full answer served over TCP?\n"
            + "  kubectl get networkpolicy -A -o yaml | grep -n -B3 -A3 'port: 53'   # policies must allow TCP 53 as well as UDP 53 to cluster DNS\n"
            + "  kubectl exec -n <namespace> <pod> -- ldd --version 2>&1 | head -1   # musl before 1.2.4 (Alpine before 3.18) does not retry over TCP\n"
            + "Or make the answer smaller: fewer records per name (a headless Service with many endpoints answers with all of them), or EDNS with a larger buffer.")
        {
            CausedBy = causedBy,
        };
    }
}
