using KubeTriage.Findings;

namespace KubeTriage.Wire.Analyzers;

/// <summary>
/// <c>tcp.connect-refused</c>: the pod's SYNs were answered by RST (Zeek's REJ): nothing listens on the
/// port, or a firewall rejects. Critical when no connection to that peer:port got through in the capture,
/// warning when some did.
/// </summary>
public sealed class TcpConnectRefusedAnalyzer : IAnalyzer<CaptureContext>
{
    private const int MaxExamples = 3;

    public string Id => FindingIds.TcpConnectRefused;

    public string Title => "TCP connects refused with RST";

    public IEnumerable<Finding> Analyze(CaptureContext context)
    {
        var evidence = context.Evidence;
        var groups = evidence.TcpGroups.Where(g => g.Refused > 0 && evidence.IsPod(g.Client)).GroupBy(g => g.Server);
        foreach (var byServer in groups)
        {
            var server = byServer.Key;
            var list = byServer.ToList();
            var refused = list.Sum(g => g.Refused);
            var established = list.Sum(g => g.Established);
            var endpoint = WireText.Endpoint(server.Address, server.Port);
            var names = evidence.NamesOf(server.Address);
            var lines = new List<string>
            {
                $"{WireText.Count(refused, "connection")} from {string.Join(", ", list.Select(g => g.Client.ToString()).Distinct())} to {endpoint} answered by RST"
                + (established > 0 ? $"; {established} other got through" : "; none got through"),
            };
            foreach (var connection in list.SelectMany(g => g.FailedExamples).Where(c => c.Outcome == Capture.Flows.TcpOutcome.Refused)
                         .OrderBy(c => c.FirstTimeNs).Take(MaxExamples))
            {
                lines.Add($"{connection.Client} → {connection.Server}: SYN at {WireText.Clock(connection.FirstTimeNs)}"
                    + $" ({WireText.Frame(connection.FirstFrame, evidence.FileOf(connection))}), RST after {WireText.Duration(connection.LastTimeNs - connection.FirstTimeNs)}"
                    + (connection.SynAttempts > 1 ? $", {connection.SynAttempts} SYNs" : string.Empty));
            }

            yield return new Finding(
                Id,
                established == 0 ? Severity.Critical : Severity.Warning,
                $"Connections to {endpoint} refused (RST): {refused}",
                names.Count == 0 ? endpoint : $"{endpoint} ({string.Join(", ", names)})",
                lines,
                $"Nothing accepts connections on {endpoint}, or a firewall rejects them. Check that the service listens and has endpoints:\n"
                + $"  kubectl get endpointslices -A -o wide | grep {server.Address}   # a Service without ready endpoints rejects\n"
                + $"  ss -ltnp 'sport = :{server.Port}'                     # on the server: is the port open?\n"
                + $"  nc -vz {server.Address} {server.Port}                      # from the pod");
        }
    }
}
