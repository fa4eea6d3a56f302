using System.Globalization;
using System.Net;
using System.Net.Sockets;
using KubeTriage.Capture;
using KubeTriage.Capture.Primitives;
using KubeTriage.Names;
using KubeTriage.Node;
using KubeTriage.Node.Live;
using KubeTriage.Wire;
using Spectre.Console;

namespace KubeTriage.Cli.Commands;

/// <summary>
/// <c>capture --live</c>: reads the node (ip -j) for the pod addresses and the NICs' subnets, captures with libpcap
/// on every up interface (or those given) filtered by the pod addresses, feeds the capture engine live and
/// optionally a pcapng file, then analyses as <c>capture</c> does and adds what only the node's view can tell:
/// pod packets leaving through a NIC whose subnet does not hold the pod. Ctrl-C stops early; what was captured is
/// still analysed.
/// </summary>
public static class NodeLiveCapture
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(250);

    public static async Task<int> RunAsync(CaptureSettings settings, Expectations? expectations, int slowQueryMs,
        IAnsiConsole console, TimeProvider time, CancellationToken cancellationToken)
    {
        var duration = NodeLiveCaptureSettings.ParsedDuration(settings);
        var given = settings.PodIps.Select(IPAddress.Parse).ToList();
        var node = await ReadNode(given, cancellationToken).ConfigureAwait(false);
        var pods = given.Count > 0 ? given : node.Pods.Select(p => p.Ip).ToList();
        if (pods.Count == 0)
        {
            throw new UserErrorException(
                "capture --live: no pod address found on this node (no host routes to pod veths, no per-pod rules): give --pod-ip IP");
        }

        var interfaces = settings.Interfaces.Length > 0
            ? settings.Interfaces.ToList()
            : node.Interfaces.Where(i => i.IsAdminUp && !i.IsLoopback).Select(i => i.Name).ToList();
        if (interfaces.Count == 0)
        {
            throw new UserErrorException("capture --live: no interface is up here (ip -j link): give -i IF");
        }

        var filter = string.Join(" or ", pods.Select(p => p.AddressFamily == AddressFamily.InterNetworkV6 ? $"ip6 host {p}" : $"host {p}"));
        var builder = new CaptureEvidenceBuilder(new CaptureEvidenceOptions
        {
            PodIps = pods.Select(NetAddress.FromIPAddress).ToList(),
            SlowQueryMs = slowQueryMs,
        });
        var feed = new CaptureEngine(builder, CaptureCommand.Registry(builder)).StartLive($"live capture on {node.Node}");
        LivePacketCapture capture;
        try
        {
            capture = LivePacketCapture.Open(new LiveCaptureOptions { Interfaces = interfaces, Filter = filter, WritePath = settings.Write }, feed);
        }
        catch (LiveCaptureException ex)
        {
            throw new UserErrorException(ex.Message);
        }

        IReadOnlyList<LiveInterfaceCount> counts;
        IReadOnlyList<string> captureProblems;
        var started = time.GetTimestamp();
        await using (capture.ConfigureAwait(false))
        {
            capture.Start();
            await Wait(capture, duration, filter, cancellationToken).ConfigureAwait(false);
            (counts, captureProblems) = await capture.StopAsync().ConfigureAwait(false);
        }

        var elapsed = time.GetElapsedTime(started);
        var problems = captureProblems.ToList();
        if (cancellationToken.IsCancellationRequested)
        {
            problems.Add($"capture stopped early (Ctrl-C) after {elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s of {DurationText.Format(duration)}: the analysis covers what was captured");
        }

        feed.Complete(problems);
        var evidence = builder.Build();
        var report = CaptureDiagnosis.ToReport(evidence, expectations, time.GetUtcNow(), "capture --live");
        report.Problems.AddRange(node.Problems.Where(p => p != node.Namespace.Detail).Select(p => $"node {node.Node}: {p}"));
        CapturedEgressDiagnosis.AddTo(report, CapturedEgressDiagnosis.Evidence(node, evidence, pods), evidence);
        Console.Error.WriteLine($"kubetriage: captured {string.Join(", ", counts.Select(c => $"{c.Name} {c.Captured}"))} packets in {elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s"
            + (settings.Write is null ? string.Empty : $"; saved to {settings.Write}"));
        if (settings.WriteExpect is { } draftPath)
        {
            WriteDraft(draftPath, evidence, slowQueryMs);
        }

        return ReportOutput.Write(report, settings.ParsedFormat, settings.Output, console);
    }

    private static async Task<NodeEvidence> ReadNode(IReadOnlyList<IPAddress> given, CancellationToken cancellationToken)
    {
        try
        {
            return await new LiveNodeCollector(new IpCommand(), new LiveNodeOptions { PodIps = given })
                .CollectAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IpNotFoundException ex)
        {
            throw new UserErrorException($"capture --live: {ex.Message}: install iproute2 (it finds the pods and the NICs' subnets)");
        }
    }

    /// <summary>Waits out the duration (or Ctrl-C), showing per-interface packet counts on stderr.</summary>
    private static async Task Wait(LivePacketCapture capture, TimeSpan duration, string filter, CancellationToken cancellationToken)
    {
        var until = DateTime.UtcNow + duration;
        if (Console.IsErrorRedirected)
        {
            Console.Error.WriteLine($"kubetriage: capturing on {string.Join(", ", capture.InterfaceNames)} for {DurationText.Format(duration)}, filter '{filter}' (Ctrl-C stops early)");
            await Sleep(until, cancellationToken).ConfigureAwait(false);
            return;
        }

        var errorConsole = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        await errorConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask("capturing", maxValue: duration.TotalSeconds);
                while (DateTime.UtcNow < until && !cancellationToken.IsCancellationRequested)
                {
                    var counts = capture.Counts();
                    task.Description = Markup.Escape($"{filter}: {string.Join(" · ", counts.Select(c => $"{c.Name} {c.Captured}"))} packets (Ctrl-C stops)");
                    task.Value = Math.Min(duration.TotalSeconds, (duration - (until - DateTime.UtcNow)).TotalSeconds);
                    await Sleep(DateTime.UtcNow + Tick < until ? DateTime.UtcNow + Tick : until, cancellationToken).ConfigureAwait(false);
                }

                task.Value = task.MaxValue;
            }).ConfigureAwait(false);
    }

    private static async Task Sleep(DateTime until, CancellationToken cancellationToken)
    {
        var left = until - DateTime.UtcNow;
        if (left <= TimeSpan.Zero)
        {
            return;
        }

        try
        {
            await Task.Delay(left, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Ctrl-C: stop capturing and analyse what there is.
        }
    }

    private static void WriteDraft(string path, CaptureEvidence evidence, int slowQueryMs)
    {
        var draft = ExpectationsDrafter.Draft(evidence, slowQueryMs);
        try
        {
            File.WriteAllText(path, draft.ToYaml());
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UserErrorException($"--write-expect {path}: cannot write: {ex.Message}");
        }

        Console.Error.WriteLine($"kubetriage: wrote {draft.Dependencies.Count} dependencies to {path}");
    }
}
