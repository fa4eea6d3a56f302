namespace KubeTriage.Findings;

/// <summary>
/// The one explicit list of analyzers, per room. No reflection scanning: an analyzer runs because
/// it is named here. Each room keeps its list in its own partial file (Wire, Node, Cluster, Names).
/// </summary>
public static partial class AnalyzerCatalog
{
}
