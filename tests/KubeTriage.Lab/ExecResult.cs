namespace KubeTriage.Lab;

/// <summary>The outcome of one process run by the lab (exit code, output, wall time).</summary>
public sealed record ExecResult(int ExitCode, string StdOut, string StdErr, TimeSpan Elapsed, bool TimedOut = false)
{
    public bool Succeeded => ExitCode == 0 && !TimedOut;

    /// <summary>Exit code, wall time and both streams, for assertion messages.</summary>
    public override string ToString() =>
        $"exit {ExitCode}{(TimedOut ? " (timed out)" : "")} after {Elapsed.TotalSeconds:0.000} s\n--- stdout\n{StdOut}\n--- stderr\n{StdErr}";
}
