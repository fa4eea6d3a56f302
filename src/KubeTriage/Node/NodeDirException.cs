namespace KubeTriage.Node;

/// <summary>A --from directory that is neither a bundle nor a node directory.</summary>
public sealed class NodeDirException(string message) : Exception(message);
