namespace KubeTriage.Lab;

/// <summary>A lab command failed (the message names the command and carries its output).</summary>
public sealed class LabException(string message) : Exception(message);
