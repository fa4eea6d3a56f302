namespace KubeTriage.Node;

/// <summary>The ip tool is not installed (or not on PATH): nothing live can be read.</summary>
public sealed class IpNotFoundException(string message) : Exception(message);
