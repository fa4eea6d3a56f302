using KubeTriage.Findings;

namespace KubeTriage.Wire;

/// <summary>
/// Runs the wire analyzers over a capture's evidence and links causes: a finding keeps a
/// <see cref="Finding.CausedBy"/> id only when a finding with that id was raised in the same run.
/// </summary>
public static class CaptureDiagnosis
{
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
}
