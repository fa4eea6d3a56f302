namespace KubeTriage.Lab;

/// <summary>
/// Runs the built CLI (<c>artifacts/bin/KubeTriage.Cli/&lt;configuration&gt;/KubeTriage.Cli.dll</c>) as a real
/// process, optionally inside a lab namespace (<c>ip netns exec</c>), the way a user runs it on a node.
/// </summary>
public static class KubeTriageCli
{
#if DEBUG
    private const string Configuration = "debug";
    private const string OtherConfiguration = "release";
#else
    private const string Configuration = "release";
    private const string OtherConfiguration = "debug";
#endif

    /// <summary>The CLI dll of the current build configuration (or of the other one when only that is built).</summary>
    public static string DllPath
    {
        get
        {
            var own = Dll(Configuration);
            return File.Exists(own) || !File.Exists(Dll(OtherConfiguration)) ? own : Dll(OtherConfiguration);
        }
    }

    public static bool IsBuilt => File.Exists(DllPath);

    /// <summary>Runs <c>dotnet KubeTriage.Cli.dll ARGS</c> in the host namespace.</summary>
    public static Task<ExecResult> Run(params string[] args) => Run(null, null, args);

    /// <summary>Runs <c>ip netns exec NS dotnet KubeTriage.Cli.dll ARGS</c>.</summary>
    public static Task<ExecResult> RunInNamespace(string ns, params string[] args) => Run(ns, null, args);

    /// <summary>Runs the CLI in <paramref name="ns"/> (host namespace when null) with a timeout (default 60 s).</summary>
    public static Task<ExecResult> Run(string? ns, TimeSpan? timeout, params string[] args)
    {
        var dll = DllPath;
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException(
                $"the CLI is not built: {dll} (dotnet build src/KubeTriage.Cli -c {Configuration})", dll);
        }

        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)
            ? host
            : "dotnet";
        IEnumerable<string> command = [dotnet, dll, .. args];
        return ns is null
            ? ProcessRunner.Run(dotnet, [dll, .. args], timeout)
            : ProcessRunner.Run(Tools.Ip, ["netns", "exec", ns, .. command], timeout);
    }

    private static string Dll(string configuration) =>
        Path.Combine(TestPaths.RepoRoot, "artifacts", "bin", "KubeTriage.Cli", configuration, "KubeTriage.Cli.dll");
}
