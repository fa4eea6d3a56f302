using KubeTriage.Capture.Primitives;
using KubeTriage.Findings;

namespace KubeTriage.Wire.Analyzers;

/// <summary>
/// <c>tcp.request-timeout</c>: a client gave up on its requests: it closed (FIN) or reset the connection while the
/// request still waited for an answer, a second or more after sending it, and no answer came. With the pod as the
/// client, a dependency that accepts requests and never answers them in time (a hung handler, a full worker pool, a
/// lock); with the pod as the server, its clients stop waiting for it. The pod's waiting time on answered requests
/// (<c>dependency.slow</c>) does not include these waits, since nothing answered. Only requests a dissector saw waiting
/// for their answer count (HTTP, MySQL): data of an unknown or encrypted protocol may expect none. One finding per server endpoint and
/// side. Critical when every connection that carried a request was given up on, warning otherwise.
/// </summary>
public sealed class TcpRequestTimeoutAnalyzer : IAnalyzer<CaptureContext>
{
    private const int MaxExamples = 3;

    public string Id => FindingIds.TcpRequestTimeout;

    public string Title => "Requests the client gave up waiting for";

    public IEnumerable<Finding> Analyze(CaptureContext context)
    {
        var evidence = context.Evidence;
        var servers = evidence.PodTcpGroups()
            .Where(g => g.Abandoned > 0)
            .GroupBy(g => g.Server)
            .OrderBy(s => s.Key.Address, AddressOrder.Instance).ThenBy(s => s.Key.Port);
        foreach (var server in servers)
        {
            yield return Judge(evidence, server.Key, server.ToList());
        }
    }

    private Finding Judge(CaptureEvidence evidence, WireEndpoint server, List<TcpConnectGroup> groups)
    {
        bool podIsServer = evidence.IsPod(server.Address);
        long abandoned = groups.Sum(g => g.Abandoned);
        long carried = groups.Sum(g => g.RequestConnections);
        long longest = groups.Max(g => g.AbandonedWaitMaxNs);
        long average = groups.Sum(g => g.AbandonedWaitTotalNs) / abandoned;
        var clients = groups.Select(g => g.Client).Distinct().Order(AddressOrder.Instance).Select(c => c.ToString()).ToList();
        var display = podIsServer ? $"the pod's port {server.Port}" : server.ToString();
        var who = podIsServer ? WireText.List(clients) : "the pod";
        var names = evidence.NamesOf(server.Address);
        var lines = new List<string>
        {
            $"{abandoned} of {WireText.Count(carried, "connection")} from {who} to {display} that carried a request were closed or reset by the client with the request unanswered:"
            + $" it waited {WireText.Duration(average)} on average, {WireText.Duration(longest)} the longest",
        };
        foreach (var example in groups.SelectMany(g => g.AbandonedExamples).OrderBy(e => e.Connection.AbandonedRequestNs).Take(MaxExamples))
        {
            var c = example.Connection;
            var request = example.Request is { Length: > 0 } text ? $"{text}, sent" : "request sent";
            lines.Add($"{c.Client} → {c.Server}: {request} at {WireText.Clock(c.AbandonedRequestNs!.Value)} ({WireText.Frame(c.AbandonedRequestFrame, evidence.FileOf(c))}),"
                + $" {(c.ClientGaveUpByReset ? "reset" : "closed")} by the client {WireText.Duration(c.ClientGaveUpNs!.Value - c.AbandonedRequestNs.Value)} later (frame {c.ClientGaveUpFrame}) without an answer");
        }

        lines.Add(podIsServer
            ? "the pod's clients stopped waiting for it: its handler is slower than their timeout, or stuck"
            : "the server accepted the requests and did not answer them within the pod's timeout: a hung or overloaded handler, a lock, or a queue in front of it");
        return new Finding(
            Id,
            abandoned == carried ? Severity.Critical : Severity.Warning,
            podIsServer
                ? $"Clients gave up on {abandoned} of their requests to the pod's port {server.Port} after waiting up to {WireText.Duration(longest)}"
                : $"The pod gave up on {WireText.Count(abandoned, "request")} to {server} after waiting up to {WireText.Duration(longest)}: no answer came",
            podIsServer ? display : names.Count == 0 ? server.ToString() : $"{server} ({string.Join(", ", names)})",
            lines,
            (podIsServer
                ? "Find out what the pod's handler waits on at the times above: its own dependencies (other findings), CPU throttling, a thread or connection pool at its limit:\n"
                  + "  kubectl logs -n <namespace> <pod> --since=15m   # slow or stuck requests at those times\n"
                  + "  kubectl top pod -n <namespace> <pod>; cat /sys/fs/cgroup/cpu.stat   # CPU use and throttling\n"
                : $"See what {server} does with these requests at the times above: its logs and metrics, and who else waits on it:\n"
                  + $"  kubectl get pods -A -o wide | grep -w {server.Address}   # the pods behind the address (restarting? not ready?)\n"
                  + "  kubectl logs -n <namespace> <server-pod> --since=15m   # slow or stuck handlers at those times\n")
            + "  the client's timeout: raise it only if the server is known to be slow but healthy; otherwise it hides the hang");
    }
}
