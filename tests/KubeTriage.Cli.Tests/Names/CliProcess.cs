using System.Diagnostics;

namespace KubeTriage.Cli.Tests.Names;

/// <summary>Runs the built CLI (<c>KubeTriage.Cli.dll</c> beside the tests) as a process: exit code, stdout, stderr.</summary>
internal static class CliProcess
{
    public static async Task<(int ExitCode, string StdOut, string StdErr)> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "KubeTriage.Cli.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kubetriage {string.Join(' ', args)} did not end within 60 s");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Names", "Fixtures", name);
}
