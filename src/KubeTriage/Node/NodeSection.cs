namespace KubeTriage.Node;

/// <summary>The report's node section (<c>Report.Node</c>): the evidence of every node checked.</summary>
public sealed record NodeSection(IReadOnlyList<NodeEvidence> Nodes);
