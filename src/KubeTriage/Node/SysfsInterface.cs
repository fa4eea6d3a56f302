namespace KubeTriage.Node;

/// <summary>An interface under <c>/sys/class/net</c>: MAC, operstate and what its <c>device</c> link points at.</summary>
public sealed record SysfsInterface(string Name, string? Mac, string? OperState, string? Device);
