namespace KubeTriage.Node;

/// <summary>Runs the ip tool (iproute2). Tests substitute recorded output.</summary>
public interface IIpRunner
{
    /// <summary>Where ip runs, as a person would say it: "this host" or "network namespace NAME".</summary>
    string Where { get; }

    Task<IpResult> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken);
}

/// <summary>One ip run: exit code and both streams.</summary>
public sealed record IpResult(int ExitCode, string Stdout, string Stderr)
{
    public bool Ok => ExitCode == 0;

    /// <summary>ip's complaint in one line ("Device \"eth1\" does not exist.").</summary>
    public string Complaint =>
        Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault()
        ?? $"exit code {ExitCode}";
}
