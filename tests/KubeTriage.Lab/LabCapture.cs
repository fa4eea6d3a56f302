using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace KubeTriage.Lab;

/// <summary>
/// A running tcpdump inside a lab namespace, writing a pcap file. Disposing stops it with SIGINT and waits
/// until tcpdump has flushed and closed the file. <c>-i any</c> records Linux cooked v2 (LINUX_SLL2) frames,
/// which name the interface of every packet.
/// </summary>
public sealed partial class LabCapture : IAsyncDisposable
{
    private static readonly TimeSpan _readyTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan _stopTimeout = TimeSpan.FromSeconds(15);
    private readonly Process _process;
    private readonly StringBuilder _stderr = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _stopping;

    private LabCapture(string ns, string iface, string path, Process process)
    {
        Namespace = ns;
        Interface = iface;
        PcapPath = path;
        _process = process;
    }

    public string Namespace { get; }

    public string Interface { get; }

    public string PcapPath { get; }

    /// <summary>tcpdump's "N packets captured" once stopped (null before, or when it did not say).</summary>
    public int? PacketsCaptured { get; private set; }

    /// <summary>tcpdump's "N packets dropped by kernel" once stopped.</summary>
    public int? PacketsDropped { get; private set; }

    public string StdErr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Starts tcpdump and returns once it is listening (packets from then on are in the file).</summary>
    public static async Task<LabCapture> Start(string ns, string iface, string pcapPath, string? filter = null, int snapLength = 0)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(pcapPath))!);
        var info = new ProcessStartInfo(Tools.Ip)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        string[] args = ["netns", "exec", ns, "tcpdump", "-i", iface, "-n", "-U", "--immediate-mode", "-B", "16384", "-Z", "root", "-w", Path.GetFullPath(pcapPath)];
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        if (iface == "any")
        {
            info.ArgumentList.Add("-y");
            info.ArgumentList.Add("LINUX_SLL2");
        }

        if (snapLength > 0)
        {
            info.ArgumentList.Add("-s");
            info.ArgumentList.Add(snapLength.ToString(CultureInfo.InvariantCulture));
        }

        if (!string.IsNullOrWhiteSpace(filter))
        {
            info.ArgumentList.Add(filter);
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var capture = new LabCapture(ns, iface, pcapPath, process);
        process.ErrorDataReceived += (_, e) => capture.OnStdErr(e.Data);
        process.OutputDataReceived += (_, _) => { };
        process.Exited += (_, _) =>
        {
            process.WaitForExit(); // drains stderr, so the message below is complete
            capture._ready.TrySetException(
                new LabException($"tcpdump -i {iface} in {ns} exited before listening: {capture.StdErr.Trim()}"));
        };
        process.Start();
        process.StandardInput.Close();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            await capture._ready.Task.WaitAsync(_readyTimeout).ConfigureAwait(false);
        }
        catch
        {
            await capture.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return capture;
    }

    /// <summary>Stops tcpdump (SIGINT), waits for it to write out the file; idempotent.</summary>
    public Task StopAsync() => _stopping ??= Stop();

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _process.Dispose();
    }

    private async Task Stop()
    {
        try
        {
            if (!_process.HasExited)
            {
                _ = NativeMethods.Kill(_process.Id, NativeMethods.SigInt);
                using var limit = new CancellationTokenSource(_stopTimeout);
                try
                {
                    await _process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    _process.Kill(entireProcessTree: true);
                    await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                }
            }
        }
        catch (InvalidOperationException)
        {
            // Never started or already gone.
        }

        var text = StdErr;
        if (Captured().Match(text) is { Success: true } c)
        {
            PacketsCaptured = int.Parse(c.Groups[1].Value, CultureInfo.InvariantCulture);
        }

        if (Dropped().Match(text) is { Success: true } d)
        {
            PacketsDropped = int.Parse(d.Groups[1].Value, CultureInfo.InvariantCulture);
        }
    }

    private void OnStdErr(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_stderr)
        {
            _stderr.Append(line).Append('\n');
        }

        if (line.Contains("listening on", StringComparison.Ordinal))
        {
            _ready.TrySetResult();
        }
    }

    [GeneratedRegex(@"(\d+) packets? captured")]
    private static partial Regex Captured();

    [GeneratedRegex(@"(\d+) packets? dropped by kernel")]
    private static partial Regex Dropped();
}
