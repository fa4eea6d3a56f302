using KubeTriage.Node;
using KubeTriage.Node.Analyzers;

namespace KubeTriage.Findings;

public static partial class AnalyzerCatalog
{
    /// <summary>The node room's analyzers: missing NICs, unusable pod policy tables, pod egress through the wrong NIC.</summary>
    public static IReadOnlyList<IAnalyzer<NodeEvidence>> Node { get; } =
    [
        new NicMissingAnalyzer(),
        new PolicyRouteMissingAnalyzer(),
        new PodEgressWrongInterfaceAnalyzer(),
    ];
}
