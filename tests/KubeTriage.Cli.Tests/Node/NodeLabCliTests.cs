using System.Diagnostics;
using System.Text;
using System.Text.Json;
using KubeTriage.Lab;

namespace KubeTriage.Cli.Tests.Node;

/// <summary>
/// The built CLI run as a user runs it on a node: <c>node</c> and <c>capture --live</c> inside the lab's node
/// namespace (<c>ip netns exec</c>), while the app runs in the pod. Every fault is healed after.
/// </summary>
[Collection(LabCollection.Name)]
public sealed class NodeLabCliTests(LabFixture lab) : IDisposable
{
    private readonly DirectoryInfo _temp = Directory.CreateTempSubdirectory("kubetriage-node-lab-");

    public void Dispose() => _temp.Delete(recursive: true);

    [SkippableFact]
    public async Task NodeInsideTheNodeNamespaceFindsTheEmptiedTableAndSaysWhyPciIsSkipped()
    {
        Skip.IfNot(lab.IsAvailable, lab.SkipReason);
        Skip.IfNot(KubeTriageCli.IsBuilt, $"the CLI is not built: {KubeTriageCli.DllPath}");

        // Given
        await using var fault = await lab.Inject(Fault.Route);

        // When
        var run = await KubeTriageCli.RunInNamespace(lab.NodeNs, "node", "--format", "json");

        // Then
        Assert.True(run.ExitCode == 1, run.ToString());
        using var json = JsonDocument.Parse(run.StdOut);
        Assert.Equal(
            ["node.pod-egress-wrong-interface", "node.policy-route-missing"],
            json.RootElement.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("id").GetString()));
        var node = json.RootElement.GetProperty("node").GetProperty("nodes")[0];
        Assert.Equal("outside", node.GetProperty("namespace").GetProperty("state").GetString());
        Assert.Equal(lab.NodeNs, node.GetProperty("namespace").GetProperty("name").GetString());
        Assert.False(node.GetProperty("pciChecked").GetBoolean());
        Assert.Contains(
            json.RootElement.GetProperty("problems").EnumerateArray().Select(p => p.GetString()),
            p => p!.Contains("running outside the host network namespace: host NICs are hidden from sysfs, PCI checks skipped", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task NodeWithNetnsIsQuietOnTheHealthyLab()
    {
        Skip.IfNot(lab.IsAvailable, lab.SkipReason);
        Skip.IfNot(KubeTriageCli.IsBuilt, $"the CLI is not built: {KubeTriageCli.DllPath}");

        // Given
        await lab.HealAll();

        // When
        var run = await KubeTriageCli.Run("node", "--netns", lab.NodeNs);

        // Then
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.StartsWith("No findings.", run.StdOut, StringComparison.Ordinal);
        Assert.Contains($"{LabAddresses.PodIp}   {lab.PodVeth}", run.StdOut, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task LiveCaptureOnTheHealthyNodeIsQuiet()
    {
        Skip.IfNot(lab.IsAvailable, lab.SkipReason);
        Skip.IfNot(KubeTriageCli.IsBuilt, $"the CLI is not built: {KubeTriageCli.DllPath}");

        // Given
        await lab.HealAll();

        // When
        var (run, report, app) = await CaptureWhileTheAppRuns();

        // Then
        Assert.True(app.Succeeded, app.ToString());
        Assert.True(run.ExitCode == 0, $"{run}\n{report.RootElement.GetProperty("findings")}");
        Assert.DoesNotContain(report.RootElement.GetProperty("findings").EnumerateArray(),
            f => f.GetProperty("severity").GetString() is "warning" or "critical");
        var interfaces = Interfaces(report);
        Assert.True(interfaces["eth1"].FromPod > 0, run.ToString());
        Assert.Equal(0, interfaces["eth0"].FromPod);
        var written = Path.Combine(_temp.FullName, "live.pcapng");
        Assert.True(File.Exists(written));

        // Then: the interfaces' packets were put back in time order before the engine and the file got them
        if (Tools.Find("tshark") is { } tshark)
        {
            var times = await ProcessRunner.Run(tshark, ["-r", written, "-T", "fields", "-e", "frame.time_epoch"]);
            Assert.True(times.Succeeded, times.ToString());
            var epochs = times.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(t => decimal.Parse(t, System.Globalization.CultureInfo.InvariantCulture)).ToList();
            Assert.True(epochs.Count > 100, $"{epochs.Count} packets");
            Assert.Equal(epochs.Order(), epochs);
        }
    }

    [SkippableFact]
    public async Task LiveCaptureWithTheEmptiedTableSeesPodPacketsOnEth0AndConnectsWithoutReply()
    {
        Skip.IfNot(lab.IsAvailable, lab.SkipReason);
        Skip.IfNot(KubeTriageCli.IsBuilt, $"the CLI is not built: {KubeTriageCli.DllPath}");

        // Given
        await using var fault = await lab.Inject(Fault.Route);

        // When
        var (run, report, app) = await CaptureWhileTheAppRuns();

        // Then
        Assert.False(app.DatabaseSucceeded, app.ToString());
        Assert.True(run.ExitCode == 1, run.ToString());
        var findings = report.RootElement.GetProperty("findings").EnumerateArray().ToList();
        var egress = findings.Single(f => f.GetProperty("id").GetString() == "node.pod-egress-wrong-interface");
        Assert.Equal($"pod {LabAddresses.PodIp} via eth0", egress.GetProperty("subject").GetString());
        var noReply = findings.Single(f => f.GetProperty("id").GetString() == "tcp.connect-no-reply"
            && f.GetProperty("subject").GetString()!.StartsWith("198.18.2.20:3306", StringComparison.Ordinal));
        Assert.Equal(["node.pod-egress-wrong-interface"], noReply.GetProperty("causedBy").EnumerateArray().Select(c => c.GetString()));
        var interfaces = Interfaces(report);
        Assert.True(interfaces["eth0"].FromPod > 0, run.ToString());
        Assert.Equal(0, interfaces["eth1"].FromPod);
    }

    private static Dictionary<string, (long FromPod, long ToPod)> Interfaces(JsonDocument report) =>
        report.RootElement.GetProperty("capture").GetProperty("interfaces").EnumerateArray()
            .ToDictionary(i => i.GetProperty("name").GetString()!, i => (i.GetProperty("fromPodPackets").GetInt64(), i.GetProperty("toPodPackets").GetInt64()));

    /// <summary>
    /// Starts <c>capture --live</c> in the node namespace, waits until it says it captures, runs the app once, then
    /// stops the capture with SIGINT (Ctrl-C) and reads its JSON report.
    /// </summary>
    private async Task<(ExecResult Run, JsonDocument Report, AppRun App)> CaptureWhileTheAppRuns()
    {
        var reportPath = Path.Combine(_temp.FullName, "live.json");
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
        var info = new ProcessStartInfo(Tools.Ip)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "netns", "exec", lab.NodeNs, dotnet, KubeTriageCli.DllPath, "capture", "--live", "--duration", "60s",
                     "--write", Path.Combine(_temp.FullName, "live.pcapng"), "--format", "json", "-o", reportPath })
        {
            info.ArgumentList.Add(a);
        }

        var stopwatch = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        var stderr = new StringBuilder();
        var capturing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                capturing.TrySetResult();
                return;
            }

            lock (stderr)
            {
                stderr.AppendLine(e.Data);
            }

            if (e.Data.StartsWith("kubetriage: capturing on", StringComparison.Ordinal))
            {
                capturing.TrySetResult();
            }
        };
        process.BeginErrorReadLine();
        var stdout = process.StandardOutput.ReadToEndAsync();
        try
        {
            await capturing.Task.WaitAsync(TimeSpan.FromSeconds(60));
            var app = await lab.RunApp(queries: 1);
            using (var kill = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            var run = new ExecResult(process.ExitCode, await stdout, stderr.ToString(), stopwatch.Elapsed);
            Assert.True(File.Exists(reportPath), run.ToString());
            return (run, JsonDocument.Parse(File.ReadAllText(reportPath)), app);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }
}
