namespace KubeTriage.Findings;

/// <summary>
/// Runs analyzers one by one. An analyzer that throws does not end the run: its failure becomes a
/// problem line next to the findings of the others.
/// </summary>
public static class AnalyzerRunner
{
    public static IReadOnlyList<Finding> Run<TEvidence>(
        IEnumerable<IAnalyzer<TEvidence>> analyzers,
        TEvidence evidence,
        ICollection<string> problems)
    {
        var findings = new List<Finding>();
        foreach (var analyzer in analyzers)
        {
            try
            {
                findings.AddRange(analyzer.Analyze(evidence));
            }
            catch (Exception ex)
            {
                problems.Add($"analyzer {analyzer.Id} failed: {ex.GetType().Name}: {ex.Message}");
            }
        }

        return Sort(findings);
    }

    /// <summary>Severity first (critical on top), then id, then subject: the same input always reads the same.</summary>
    public static IReadOnlyList<Finding> Sort(IEnumerable<Finding> findings) =>
        findings
            .OrderByDescending(f => f.Severity)
            .ThenBy(f => f.Id, StringComparer.Ordinal)
            .ThenBy(f => f.Subject, StringComparer.Ordinal)
            .ToList();
}
