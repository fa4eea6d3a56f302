using KubeTriage.Capture.Primitives;
using KubeTriage.Findings;
using KubeTriage.Names;
using KubeTriage.Reports;

namespace KubeTriage.Wire;

/// <summary>
/// Runs the wire analyzers over a capture's evidence, links causes, and puts together the report:
/// findings, problems (what the files and dissectors could not read) and the <c>capture</c> section.
/// A finding keeps a <see cref="Finding.CausedBy"/> id only when a finding with that id was raised in the
/// same run.
/// </summary>
public static class CaptureDiagnosis
{
    public static Report ToReport(CaptureEvidence evidence, Expectations? expectations, DateTimeOffset generatedAt, string command = "capture")
    {
        var report = new Report { Command = command, GeneratedAt = generatedAt };
        report.Problems.AddRange(Problems(evidence));
        report.Findings = Analyze(new CaptureContext(evidence, expectations), report.Problems);
        report.Capture = CaptureReport.From(evidence);
        return report;
    }

    public static IReadOnlyList<Finding> Analyze(CaptureContext context, ICollection<string> problems)
    {
        var findings = AnalyzerRunner.Run(AnalyzerCatalog.Wire(context.Expectations is not null), context, problems);
        return KeepRaisedCauses(findings);
    }

    /// <summary>Drops cause ids that no finding in <paramref name="findings"/> carries (the order is kept).</summary>
    public static IReadOnlyList<Finding> KeepRaisedCauses(IReadOnlyList<Finding> findings)
    {
        var raised = findings.Select(f => f.Id).ToHashSet(StringComparer.Ordinal);
        return findings
            .Select(f => f.CausedBy.All(raised.Contains) ? f : f with { CausedBy = f.CausedBy.Where(raised.Contains).ToList() })
            .ToList();
    }

    /// <summary>
    /// What could not be read: each file's problems (truncated tail, undecodable packets), then the
    /// dissectors' diagnostics per reason with the first one to look at. Packet and file diagnostics are
    /// already counted in the files' problems.
    /// </summary>
    public static IEnumerable<string> Problems(CaptureEvidence evidence)
    {
        foreach (var file in evidence.Files)
        {
            foreach (var problem in file.Problems)
            {
                yield return $"{file.Path}: {problem}";
            }
        }

        foreach (var (reason, count) in evidence.DiagnosticCounts.OrderBy(kv => kv.Key.ToString(), StringComparer.Ordinal))
        {
            var name = reason.ToString();
            if (name.StartsWith("Packet", StringComparison.Ordinal) || name.StartsWith("File", StringComparison.Ordinal))
            {
                continue;
            }

            var first = evidence.Diagnostics.FirstOrDefault(d => d.Reason == reason);
            yield return $"{count} × {Describe(reason)}" + (first is null ? string.Empty : $"; first: {first}");
        }
    }

    private static string Describe(WireError reason) => reason switch
    {
        WireError.FlowMidStream => "connections joined mid-stream (the capture started after they opened; their first messages may be missing)",
        WireError.FlowGap => "gaps in TCP streams (lost or cut segments; messages around them were skipped)",
        WireError.FlowBufferOverflow => "stream buffers overflowed (bytes skipped)",
        WireError.MySqlEncrypted => "MySQL connections switched to TLS (their commands cannot be read)",
        WireError.InternalError => "internal errors in a dissector (the flow was skipped)",
        _ => $"{reason} diagnostics",
    };
}
