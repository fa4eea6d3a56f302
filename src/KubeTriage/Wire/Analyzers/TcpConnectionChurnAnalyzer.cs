using System.Globalization;
using KubeTriage.Capture.Primitives;
using KubeTriage.Findings;

namespace KubeTriage.Wire.Analyzers;

/// <summary>
/// <c>tcp.connection-churn</c>: the pod opens a new connection to a peer for (almost) every request, hundreds of them at
/// a high rate, instead of keeping connections open. Each costs a handshake round trip (and a TLS handshake), and each
/// closed connection holds its port for a minute in TIME_WAIT: behind SNAT (a node's masquerade, a cloud NAT gateway)
/// the ports run out, and new connects fail or wait (<c>tcp.connect-retried</c>). Raised per peer and server port at
/// <see cref="MinConnections"/> connections or more, opened at <see cref="MinRate"/> per second or more, living
/// <see cref="MaxLifetimeNs"/> or less on average (a pool keeps its connections far longer). Warning.
/// </summary>
public sealed class TcpConnectionChurnAnalyzer : IAnalyzer<CaptureContext>
{
    public const int MinConnections = 200;
    public const double MinRate = 20;
    public const long MaxLifetimeNs = 2_000_000_000;

    public string Id => FindingIds.TcpConnectionChurn;

    public string Title => "A new connection for every request";

    public IEnumerable<Finding> Analyze(CaptureContext context)
    {
        var evidence = context.Evidence;
        foreach (var (server, groups, connections, span) in ChurningPeers(evidence))
        {
            yield return Judge(evidence, server, groups, connections, span);
        }
    }

    /// <summary>The server endpoints the pod opens short-lived connections to at the rate that raises the finding.</summary>
    public static IEnumerable<(WireEndpoint Server, List<TcpConnectGroup> Groups, long Connections, long SpanNs)> ChurningPeers(CaptureEvidence evidence) =>
        evidence.PodTcpGroups()
            .Where(g => evidence.IsPod(g.Client))
            .GroupBy(g => g.Server)
            .Select(g => (Server: g.Key, Groups: g.ToList()))
            .Select(p => (p.Server, p.Groups, Connections: p.Groups.Sum(g => g.Total), Span: p.Groups.Max(g => g.LastOpenNs) - p.Groups.Min(g => g.FirstOpenNs)))
            .Where(p => p.Connections >= MinConnections && p.Span > 0 && p.Connections / (p.Span / 1e9) >= MinRate)
            .Where(p => p.Groups.Sum(g => g.LifetimeTotalNs) / p.Connections <= MaxLifetimeNs)
            .OrderBy(p => p.Server.Address, AddressOrder.Instance).ThenBy(p => p.Server.Port);

    private Finding Judge(CaptureEvidence evidence, WireEndpoint server, List<TcpConnectGroup> groups, long connections, long spanNs)
    {
        double rate = connections / (spanNs / 1e9);
        double turns = (double)groups.Sum(g => g.Turns) / connections;
        long lifetime = groups.Sum(g => g.LifetimeTotalNs) / connections;
        var names = evidence.NamesOf(server.Address);
        var subject = names.Count == 0 ? server.ToString() : $"{server} ({string.Join(", ", names)})";
        var retried = groups.Sum(g => g.RetriedConnects);
        var lines = new List<string>
        {
            $"{connections.ToString("N0", CultureInfo.InvariantCulture)} connections from the pod to {server} opened between {WireText.Clock(groups.Min(g => g.FirstOpenNs))}"
            + $" and {WireText.Clock(groups.Max(g => g.LastOpenNs))}: {rate.ToString("0", CultureInfo.InvariantCulture)} per second",
            $"each connection open {WireText.Duration(lifetime)} on average, with {turns.ToString("0.0", CultureInfo.InvariantCulture)} request/response turns"
            + $" (a TLS handshake counts one or two, a MySQL login one): a new connection, with its handshakes, {Cadence(turns)}",
            $"each closed connection keeps its port in TIME_WAIT for 60 s: at this rate about {(rate * 60).ToString("N0", CultureInfo.InvariantCulture)} ports to this one destination, of the 28,000 a node's default range has (and fewer behind a cloud NAT)",
        };
        if (retried > 0)
        {
            lines.Add($"{WireText.Count(retried, "connect")} of them needed the SYN sent again ({FindingIds.TcpConnectRetried}): a sign the NAT in between is short of ports");
        }

        return new Finding(
            Id,
            Severity.Warning,
            $"The pod opens a short-lived connection to {server} {Cadence(turns)} ({rate.ToString("0", CultureInfo.InvariantCulture)} per second, {connections.ToString("N0", CultureInfo.InvariantCulture)} in all)",
            subject,
            lines,
            "Reuse connections: HTTP keep-alive and a pooled client (one client object per process, not per request), a database connection pool, gRPC channels kept open. Meanwhile check the ports:\n"
            + $"  ss -tan state time-wait dst {server.Address} | wc -l   # in the pod's network namespace: ports held by closed connections\n"
            + "  sysctl net.ipv4.ip_local_port_range   # the ports a node or pod has for outgoing connections\n"
            + "  conntrack -S   # on the node: insert_failed and drop counts that grow when SNAT runs out of ports");
    }

    /// <summary>How often the pod opens a connection, in request/response turns: "for every request or two" when
    /// connections carry two turns or fewer on average, otherwise "every N requests".</summary>
    public static string Cadence(double turns) =>
        turns < 2.5 ? "for every request or two" : $"every {Math.Round(turns).ToString("0", CultureInfo.InvariantCulture)} requests";
}
