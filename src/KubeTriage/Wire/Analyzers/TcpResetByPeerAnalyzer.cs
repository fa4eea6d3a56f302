using KubeTriage.Capture.Primitives;
using KubeTriage.Findings;

namespace KubeTriage.Wire.Analyzers;

/// <summary>
/// <c>tcp.reset-by-peer</c>: a server the pod calls ended established connections with a RST while the pod's request
/// waited for its answer, the error the app logs as "Connection reset by peer" (ECONNRESET), "server has gone away"
/// or an unexpected EOF. Two shapes: the server reset while the request was outstanding (it crashed, restarted, hit
/// a limit, or a proxy in front of it gave up), or the server had already closed the connection with a FIN (an idle
/// timeout: MySQL's wait_timeout, a load balancer's or NAT's) and its RST answered the next request the pod sent on
/// it (a pooled connection kept past the server's timeout). One finding per server endpoint. Warning; critical when
/// every connection to that endpoint that carried a request was reset. The pod's own resets, a server's reset after
/// everything was answered, a RST answering a SYN (<c>tcp.connect-refused</c>) and FIN closes are not counted.
/// </summary>
public sealed class TcpResetByPeerAnalyzer : IAnalyzer<CaptureContext>
{
    private const int MaxExamples = 3;

    public string Id => FindingIds.TcpResetByPeer;

    public string Title => "Connection reset by peer while the pod waited for an answer";

    public IEnumerable<Finding> Analyze(CaptureContext context)
    {
        var evidence = context.Evidence;
        // A connection seen before and after DNAT counts once, under the Service address the pod asked for.
        var servers = evidence.PodTcpGroups()
            .Where(g => evidence.IsPod(g.Client))
            .GroupBy(g => g.Server)
            .Where(s => s.Sum(g => g.ResetMidRequest) > 0)
            .OrderBy(s => s.Key.Address, AddressOrder.Instance).ThenBy(s => s.Key.Port);
        foreach (var server in servers)
        {
            yield return Judge(evidence, server.Key, server.ToList());
        }
    }

    private static Finding Judge(CaptureEvidence evidence, WireEndpoint server, List<TcpConnectGroup> groups)
    {
        var names = evidence.NamesOf(server.Address);
        var display = names.Count == 0 ? server.ToString() : $"{server} ({string.Join(", ", names)})";
        long carried = groups.Sum(g => g.RequestConnections);
        long waiting = groups.Sum(g => g.ResetWhileWaiting);
        long afterClose = groups.Sum(g => g.ResetAfterClose);
        long reset = waiting + afterClose;
        var first = groups.Where(g => g.FirstMidRequestResetNs is not null).Min(g => g.FirstMidRequestResetNs!.Value);
        var last = groups.Where(g => g.LastMidRequestResetNs is not null).Max(g => g.LastMidRequestResetNs!.Value);
        var protocols = groups.SelectMany(g => g.ResetExamples).Select(e => e.Connection.Protocol).OfType<string>().Distinct().Order(StringComparer.Ordinal).ToList();

        var lines = new List<string>
        {
            $"{reset} of {WireText.Count(carried, "connection")} from the pod to {server} that carried a request {(reset == 1 ? "was" : "were")} reset by {server.Address}"
            + " before the request was answered"
            + (reset == 1 ? $", at {WireText.Clock(first)}" : $", from {WireText.Clock(first)} to {WireText.Clock(last)}")
            + (protocols.Count > 0 ? $" ({string.Join(", ", protocols)})" : string.Empty),
        };
        if (waiting > 0)
        {
            lines.Add($"{waiting} reset while the pod waited for the answer: the server dropped the connection with the request outstanding");
        }

        if (afterClose > 0)
        {
            var shortest = groups.Where(g => g.ShortestIdleAtCloseNs is not null).Select(g => g.ShortestIdleAtCloseNs!.Value).DefaultIfEmpty(-1).Min();
            var longest = groups.Where(g => g.LongestIdleAtCloseNs is not null).Select(g => g.LongestIdleAtCloseNs!.Value).DefaultIfEmpty(-1).Max();
            var idle = shortest < 0 ? string.Empty
                : shortest == longest || WireText.Duration(shortest) == WireText.Duration(longest)
                    ? $" after {WireText.Duration(shortest)} without traffic"
                    : $" after {WireText.Duration(shortest)} to {WireText.Duration(longest)} without traffic";
            lines.Add($"{afterClose} closed by {server.Address} (FIN){idle}, then the pod sent its next request on the closed connection and got RST:"
                + " an idle timeout closed a pooled connection the pod still used");
        }

        var examples = groups.SelectMany(g => g.ResetExamples).ToList();
        var shown = examples.Where(e => !e.Connection.ServerClosedBeforeReset).Take(MaxExamples)
            .Concat(examples.Where(e => e.Connection.ServerClosedBeforeReset).Take(MaxExamples))
            .OrderBy(e => e.Connection.FirstResetNs).ThenBy(e => e.Connection.FirstFrame).Take(MaxExamples + 1);
        foreach (var example in shown)
        {
            lines.Add(Describe(evidence, example));
        }

        var severity = reset >= carried ? Severity.Critical : Severity.Warning;
        var title = $"{display} reset {(reset == carried ? (reset == 1 ? "the pod's connection" : $"all {reset} of the pod's connections") : $"{reset} of {carried} of the pod's connections")}"
            + " while a request waited for its answer (connection reset by peer)";
        return new Finding(FindingIds.TcpResetByPeer, severity, title, display, lines, Remediation(evidence, server, waiting > 0, afterClose > 0, protocols));
    }

    private static string Describe(CaptureEvidence evidence, TcpResetExample example)
    {
        var connection = example.Connection;
        var file = evidence.FileOf(connection);
        var request = example.Request ?? "the request";
        var requestNs = example.RequestTimeNs ?? connection.OutstandingRequestNs ?? connection.FirstResetNs!.Value;
        var requestFrame = example.RequestFrame ?? connection.OutstandingRequestFrame;
        var resetNs = connection.FirstResetNs!.Value;
        var sent = $"{request} sent at {WireText.Clock(requestNs)} ({WireText.Frame(requestFrame, file)})";
        var rst = $"RST at {WireText.Clock(resetNs)} ({WireText.Frame(connection.FirstResetFrame, file)})";
        if (connection.ServerClosedBeforeReset && connection.ServerFinNs is { } fin)
        {
            var idle = example.IdleAtServerCloseNs() is { } i ? $" after {WireText.Duration(i)} idle" : string.Empty;
            return $"{connection.Client} → {connection.Server}: the server closed it (FIN) at {WireText.Clock(fin)} ({WireText.Frame(connection.ServerFinFrame, file)}){idle};"
                + $" {sent}, {WireText.Duration(Math.Max(0, requestNs - fin))} later, was answered by {rst}";
        }

        return $"{connection.Client} → {connection.Server}: {sent}; {rst}, {WireText.Duration(Math.Max(0, resetNs - requestNs))} later, without an answer";
    }

    private static string Remediation(CaptureEvidence evidence, WireEndpoint server, bool waiting, bool afterClose, IReadOnlyList<string> protocols)
    {
        var lines = new List<string>();
        if (afterClose)
        {
            lines.Add($"{server.Address} closed idle connections the pod kept in its pool and used again: the pool must retire a connection before the server,"
                + " a load balancer or NAT on the way drops it. Find the shortest idle timeout on the path and set the pool's max-idle time / maxLifetime below it"
                + " (HikariCP maxLifetime and idleTimeout, Go's db.SetConnMaxIdleTime, SQLAlchemy pool_recycle, an HTTP client's idle connection timeout),"
                + " or enable a validation/keep-alive query:");
            if (protocols.Contains("mysql") || server.Port == 3306)
            {
                lines.Add($"  mysql -h {server.Address} -P {server.Port} -e \"SHOW VARIABLES LIKE 'wait_timeout'\"   # seconds an idle connection lives on the server");
            }

            lines.Add($"  conntrack -L -p tcp --dport {server.Port}   # on the node: the NAT entries of the pod's connections and their timers");
            lines.Add("  sysctl net.netfilter.nf_conntrack_tcp_timeout_established   # how long the node keeps an idle established NAT entry");
            lines.Add("  kubectl get svc -A -o wide | grep " + server.Address + "   # a LoadBalancer in front: check its idle timeout annotation");
        }

        if (waiting)
        {
            lines.Add($"{server.Address} dropped connections with a request outstanding: the server crashed or restarted, killed the session or the query,"
                + " or a proxy in front of it hit a limit (timeout, max connections, max request size). Look at the server when the resets happened:");
            lines.Add($"  kubectl get pods -A -o wide | grep {server.Address}   # the server's pod: RESTARTS, age");
            lines.Add("  kubectl logs -n <namespace> <server-pod> --previous   # why the last instance ended (OOMKilled, a crash)");
            lines.Add("  kubectl describe pod -n <namespace> <server-pod>   # Last State: Terminated, its reason and time");
            lines.Add("  a proxy or mesh sidecar on the way (Envoy, HAProxy, nginx): its logs and its timeouts, max connections and request limits");
        }

        return string.Join('\n', lines);
    }
}
