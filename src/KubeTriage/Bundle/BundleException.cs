namespace KubeTriage.Bundle;

/// <summary>A bundle (or one file of it) that cannot be read at all; the message names the file and why.</summary>
public sealed class BundleException(string message) : Exception(message);
