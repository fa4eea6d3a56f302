using System.Diagnostics;

namespace KubeTriage.Lab;

/// <summary>
/// A throwaway HTTP server (<c>python3 -m http.server</c>, or a python3 script of the test's) inside a network namespace, for tests that need real
/// HTTP traffic across something (a tunnel, a NAT rule), and the client side: a fetch with curl from another
/// namespace, retried while the server starts. Any other server program can be run the same way (<see cref="StartProgram"/>).
/// Disposing stops the server.
/// </summary>
public sealed class NamespaceHttpServer : IAsyncDisposable
{
    private readonly Process _process;

    private NamespaceHttpServer(Process process) => _process = process;

    /// <summary>Serves <paramref name="directory"/> on <paramref name="address"/>:<paramref name="port"/> in <paramref name="ns"/>.</summary>
    public static NamespaceHttpServer Start(string ns, string address, int port, string directory) =>
        Launch(ns, "-m", "http.server", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", address, "--directory", directory);

    /// <summary>
    /// Runs a python3 server <paramref name="script"/> (given inline, e.g. an <c>http.server.BaseHTTPRequestHandler</c>
    /// that answers chosen statuses) in <paramref name="ns"/>, with <paramref name="args"/> as its <c>sys.argv[1:]</c>.
    /// </summary>
    public static NamespaceHttpServer StartScript(string ns, string script, params string[] args) =>
        Launch(ns, ["-c", script, .. args]);

    /// <summary>Runs server <paramref name="program"/> (mariadbd, …) with <paramref name="args"/> in <paramref name="ns"/>.</summary>
    public static NamespaceHttpServer StartProgram(string ns, string program, params string[] args) => Run(ns, [program, .. args]);

    private static NamespaceHttpServer Launch(string ns, params string[] pythonArgs) => Run(ns, ["python3", .. pythonArgs]);

    private static NamespaceHttpServer Run(string ns, string[] command)
    {
        var info = new ProcessStartInfo(Tools.Ip)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { "netns", "exec", ns }.Concat(command))
        {
            info.ArgumentList.Add(arg);
        }

        return new NamespaceHttpServer(Process.Start(info)!);
    }

    /// <summary>Fetches <paramref name="url"/> with curl from <paramref name="ns"/>, retrying for up to 10 s while the server starts.</summary>
    public static async Task<ExecResult> Fetch(string ns, string url)
    {
        ExecResult? fetched = null;
        for (var attempt = 0; attempt < 50 && fetched is not { Succeeded: true }; attempt++)
        {
            await Task.Delay(attempt == 0 ? 0 : 200).ConfigureAwait(false);
            fetched = await ProcessRunner.Run(Tools.Ip, ["netns", "exec", ns, "curl", "-sS", "-o", "/dev/null", "--max-time", "5", url]).ConfigureAwait(false);
        }

        return fetched!;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync().ConfigureAwait(false);
        _process.Dispose();
    }
}
