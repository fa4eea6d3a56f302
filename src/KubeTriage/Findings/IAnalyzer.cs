namespace KubeTriage.Findings;

/// <summary>
/// A pure function of evidence: it reads, it never queries an API or touches a file.
/// <see cref="Id"/> is the finding id it raises.
/// </summary>
public interface IAnalyzer<in TEvidence>
{
    string Id { get; }

    string Title { get; }

    IEnumerable<Finding> Analyze(TEvidence evidence);
}
