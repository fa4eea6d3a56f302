using KubeTriage.Findings;

namespace KubeTriage.Cluster;

/// <summary>
/// Snapshot → evidence → analyzers → linked findings + section. The same path for the live API and for a
/// bundle, so <c>diagnose</c> can call it with whatever snapshot it has.
/// </summary>
public static class ClusterCheck
{
    public static ClusterResult Run(ClusterSnapshot snapshot)
    {
        var evidence = ClusterEvidence.From(snapshot);
        var problems = new List<string>(snapshot.Problems);
        if (evidence.Corefile is { } corefile)
        {
            problems.AddRange(corefile.Problems.Select(p => $"Corefile {evidence.CorefileSource}: {p}"));
        }

        var findings = AnalyzerRunner.Run(AnalyzerCatalog.Cluster, evidence, problems);
        var linked = AnalyzerRunner.Sort(ClusterCauseLinker.Link(findings));
        return new ClusterResult(linked, ClusterSectionBuilder.Build(evidence), problems, evidence);
    }
}
