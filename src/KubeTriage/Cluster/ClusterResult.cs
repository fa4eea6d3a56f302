using KubeTriage.Findings;

namespace KubeTriage.Cluster;

/// <summary>The outcome of the cluster checks: sorted, linked findings; the report section; problems (evidence gaps).</summary>
public sealed record ClusterResult(IReadOnlyList<Finding> Findings, ClusterSection Section, IReadOnlyList<string> Problems, ClusterEvidence Evidence);
