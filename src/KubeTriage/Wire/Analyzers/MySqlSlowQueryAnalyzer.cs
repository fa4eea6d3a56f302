using KubeTriage.Findings;

namespace KubeTriage.Wire.Analyzers;

/// <summary>
/// <c>mysql.slow-query</c>: MySQL/MariaDB commands that took at least the slow-query threshold, one
/// finding per server and statement shape ("13 queries × ~4.0 s = 52.1 s"). Past
/// <see cref="MaxShapesPerServer"/> shapes, the rest of a server's slow statements are summed up in one.
/// </summary>
public sealed class MySqlSlowQueryAnalyzer : IAnalyzer<CaptureContext>
{
    public const int MaxShapesPerServer = 5;

    public string Id => FindingIds.MySqlSlowQuery;

    public string Title => "Slow MySQL queries";

    public IEnumerable<Finding> Analyze(CaptureContext context)
    {
        var evidence = context.Evidence;
        var threshold = WireText.Duration(evidence.SlowQueryNs);
        foreach (var byServer in evidence.MySqlStatements.Where(s => s.SlowCount > 0).GroupBy(s => s.Server))
        {
            var server = byServer.Key;
            var endpoint = WireText.Endpoint(server.Address, server.Port);
            var shapes = byServer.OrderByDescending(s => s.SlowTotalNs).ThenBy(s => s.Shape, StringComparer.Ordinal).ToList();
            foreach (var shape in shapes.Take(MaxShapesPerServer))
            {
                var mean = shape.SlowTotalNs / shape.SlowCount;
                var lines = new List<string>
                {
                    $"{shape.Shape}: {shape.SlowCount} of {shape.Count} took ≥ {threshold}: {shape.SlowCount} × ~{WireText.Duration(mean)} = {WireText.Duration(shape.SlowTotalNs)}, longest {WireText.Duration(shape.SlowMaxNs)}",
                };
                if (shape.FirstSlowNs is { } first && shape.LastSlowNs is { } last)
                {
                    lines.Add($"first at {WireText.Clock(first)}, last at {WireText.Clock(last)}");
                }

                foreach (var t in shape.SlowExamples)
                {
                    lines.Add($"{t.Client} → {t.Server} {t.CommandName} at {WireText.Clock(t.RequestTimeNs)} ({WireText.Frame(t.RequestFrame, t.File)}): {WireText.Duration((t.ResponseTimeNs ?? t.RequestTimeNs) - t.RequestTimeNs)}");
                }

                if (evidence.PodAnsweredBusyNs > 0)
                {
                    lines.Add($"of the {WireText.Duration(evidence.PodAnsweredBusyNs)} the pod spent waiting for answers in the capture, these statements took {WireText.Duration(shape.SlowTotalNs)}");
                }

                yield return new Finding(
                    Id,
                    Severity.Warning,
                    $"{shape.SlowCount} {(shape.SlowCount == 1 ? "query" : "queries")} × ~{WireText.Duration(mean)} = {WireText.Duration(shape.SlowTotalNs)} on {endpoint}",
                    $"{endpoint} {Shorten(shape.Shape)}",
                    lines,
                    Remediation(endpoint, shape.Shape));
            }

            var rest = shapes.Skip(MaxShapesPerServer).ToList();
            if (rest.Count > 0)
            {
                var count = rest.Sum(s => s.SlowCount);
                var total = rest.Sum(s => s.SlowTotalNs);
                yield return new Finding(
                    Id,
                    Severity.Warning,
                    $"{count} more slow {(count == 1 ? "query" : "queries")} = {WireText.Duration(total)} on {endpoint}",
                    $"{endpoint} other statements",
                    rest.Take(5).Select(s => $"{s.Shape}: {s.SlowCount} × ~{WireText.Duration(s.SlowTotalNs / s.SlowCount)}").ToList(),
                    Remediation(endpoint, rest[0].Shape));
            }
        }
    }

    private static string Shorten(string shape) => shape.Length <= 60 ? shape : shape[..60] + "…";

    private static string Remediation(string endpoint, string shape) =>
        $"Find out why the server takes this long (plan, locks, memory, I/O) on {endpoint}:\n"
        + $"  EXPLAIN {shape}\n"
        + "  SHOW FULL PROCESSLIST;                        -- what runs now, and for how long\n"
        + "  SET GLOBAL slow_query_log = 1; SET GLOBAL long_query_time = 1;   -- then read the slow log\n"
        + "  SHOW GLOBAL STATUS LIKE 'Innodb_buffer_pool_pages%';   -- memory pressure";
}
