using KubeTriage.Findings;

namespace KubeTriage.Node;

/// <summary>Runs the node analyzers over every node's evidence and gathers their problems under the node's name.</summary>
public static class NodeDiagnosis
{
    public static IReadOnlyList<Finding> Analyze(IReadOnlyList<NodeEvidence> nodes, ICollection<string> problems)
    {
        var findings = new List<Finding>();
        foreach (var node in nodes)
        {
            foreach (var problem in node.Problems)
            {
                problems.Add($"node {node.Node}: {problem}");
            }

            var analyzerProblems = new List<string>();
            findings.AddRange(AnalyzerRunner.Run(AnalyzerCatalog.Node, node, analyzerProblems));
            foreach (var problem in analyzerProblems)
            {
                problems.Add($"node {node.Node}: {problem}");
            }
        }

        return AnalyzerRunner.Sort(findings);
    }
}
