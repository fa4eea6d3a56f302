using KubeTriage.Capture.Primitives;
using KubeTriage.Findings;

namespace KubeTriage.Wire.Analyzers;

/// <summary>
/// <c>mysql.slow-connect</c>: a MySQL or MariaDB server took a second or more after accepting the pod's connection to
/// send its greeting, so every new connection (and a pool that opens them) waits before it can even log in. The classic
/// cause is the server resolving each client's address (<c>skip_name_resolve</c> off) against a DNS server that is slow
/// or does not answer: a lookup that times out is not kept in the host cache, so every connection waits again. Also a
/// server out of connection threads, or one under load. One finding per server endpoint, raised at
/// <see cref="MinDelayNs"/>; critical when every connection the pod opened to it waited, warning otherwise. When the
/// capture holds the server's own reverse lookups (PTR queries for in-addr.arpa or ip6.arpa names) without an answer,
/// the evidence cites them.
/// </summary>
public sealed class MySqlSlowConnectAnalyzer : IAnalyzer<CaptureContext>
{
    public const long MinDelayNs = 1_000_000_000;
    private const int MaxExamples = 3;

    public string Id => FindingIds.MySqlSlowConnect;

    public string Title => "MySQL servers slow to greet new connections";

    public IEnumerable<Finding> Analyze(CaptureContext context)
    {
        var evidence = context.Evidence;
        var servers = evidence.TcpGroups
            .Where(g => evidence.IsPod(g.Client) && g.SlowGreetings > 0 && g.GreetingDelayMaxNs >= MinDelayNs)
            .Where(g => g.SlowGreetingExamples.Any(c => c.Protocol == "mysql"))
            .GroupBy(g => g.Server)
            .OrderBy(s => s.Key.Address, AddressOrder.Instance).ThenBy(s => s.Key.Port);
        foreach (var server in servers)
        {
            yield return Judge(evidence, server.Key, server.ToList());
        }
    }

    private Finding Judge(CaptureEvidence evidence, WireEndpoint server, List<TcpConnectGroup> groups)
    {
        long slow = groups.Sum(g => g.SlowGreetings);
        long established = groups.Sum(g => g.Established);
        long total = groups.Sum(g => g.GreetingDelayTotalNs);
        long longest = groups.Max(g => g.GreetingDelayMaxNs);
        var names = evidence.NamesOf(server.Address);
        var subject = names.Count == 0 ? server.ToString() : $"{server} ({string.Join(", ", names)})";
        var lines = new List<string>
        {
            $"{slow} of {WireText.Count(established, "connection")} from the pod to {server} waited half a second or more for the server's greeting:"
            + $" {WireText.Duration(total / slow)} on average, {WireText.Duration(longest)} the longest",
        };
        foreach (var connection in groups.SelectMany(g => g.SlowGreetingExamples).OrderBy(c => c.FirstTimeNs).ThenBy(c => c.FirstFrame).Take(MaxExamples))
        {
            lines.Add($"{connection.Client} → {connection.Server}: connected at {WireText.Clock(connection.FirstTimeNs)} ({WireText.Frame(connection.FirstFrame, evidence.FileOf(connection))}),"
                + $" greeting at {WireText.Clock(connection.GreetingNs!.Value)} (frame {connection.GreetingFrame}), {WireText.Duration(connection.GreetingDelayNs!.Value)} later");
        }

        var reverse = evidence.DnsGroups
            .Where(g => g.Client == server.Address && !g.Answered && (g.Name.EndsWith(".in-addr.arpa", StringComparison.OrdinalIgnoreCase) || g.Name.EndsWith(".ip6.arpa", StringComparison.OrdinalIgnoreCase)))
            .OrderBy(g => g.FirstTimeNs).ToList();
        if (reverse.Count > 0)
        {
            var first = reverse[0];
            lines.Add($"the server's own reverse lookups went unanswered: {WireText.Count(reverse.Sum(g => g.Count), "PTR query", "PTR queries")} to {string.Join(", ", reverse.Select(g => g.Server).Distinct())}"
                + $", first {first.Name} at {WireText.Clock(first.FirstTimeNs)} ({WireText.Frame(first.FirstFrame, first.File)}): it waits for them before it greets");
        }

        return new Finding(
            Id,
            slow == established ? Severity.Critical : Severity.Warning,
            $"{server} greets new connections {WireText.Duration(longest)} late ({slow} of {WireText.Count(established, "connection")})",
            subject,
            lines,
            $"The server waits before it greets a new connection. Most often it is resolving the client's address (skip_name_resolve off) against a DNS server that is slow or does not answer:\n"
            + $"  mysql -h {server.Address} -P {server.Port} -e \"SELECT @@skip_name_resolve, @@max_connections, @@thread_handling\"   # 0: it resolves every client\n"
            + "  set skip_name_resolve = ON in the server's configuration (users must then be defined by address, not host name) and restart it\n"
            + "  cat /etc/resolv.conf   # on the database's host or pod: the resolver it waits for; check it answers PTR queries\n"
            + $"  time mysql -h {server.Address} -P {server.Port} -e 'SELECT 1'   # from the pod: the delay before the login");
    }
}
