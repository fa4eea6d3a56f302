using System.ComponentModel;
using System.Diagnostics;

namespace KubeTriage.Node;

/// <summary>
/// Runs <c>ip</c> (iproute2) as a child process, in this namespace or with <c>-n NAME</c> in a named one. Each run
/// is bounded by a timeout so that a wedged netlink call cannot hang the report.
/// </summary>
public sealed class IpCommand(string? netns = null, string executable = "ip", TimeSpan? timeout = null) : IIpRunner
{
    private readonly TimeSpan _timeout = timeout ?? TimeSpan.FromSeconds(15);

    public string? Netns { get; } = netns;

    public string Where => Netns is null ? "this host" : $"network namespace {Netns}";

    public async Task<IpResult> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
        };
        if (Netns is not null)
        {
            start.ArgumentList.Add("-n");
            start.ArgumentList.Add(Netns);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new IpNotFoundException($"{executable}: could not be started");
        }
        catch (Win32Exception ex)
        {
            throw new IpNotFoundException(
                ex.NativeErrorCode == 2
                    ? $"{executable} (iproute2) is not installed or not on PATH"
                    : $"{executable} (iproute2) could not be run: {ex.Message}");
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(_timeout);
            try
            {
                await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                cancellationToken.ThrowIfCancellationRequested();
                return new IpResult(-1, string.Empty, $"ip {string.Join(' ', arguments)}: no answer within {_timeout.TotalSeconds:0} s");
            }

            return new IpResult(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
        }
    }
}
