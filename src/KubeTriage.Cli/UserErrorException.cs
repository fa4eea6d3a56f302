namespace KubeTriage.Cli;

/// <summary>
/// A mistake the user can fix (a missing file, a bad flag value): printed as one line, exit code 2.
/// </summary>
public sealed class UserErrorException(string message) : Exception(message);
