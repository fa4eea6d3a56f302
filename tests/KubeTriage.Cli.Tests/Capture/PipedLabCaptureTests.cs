using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using KubeTriage.Lab;

namespace KubeTriage.Cli.Tests.Capture;

/// <summary>
/// <c>tcpdump -i any -w - | kubetriage capture - --ip-link &lt;(ip -j addr)</c> on the lab's node while the app
/// runs with the emptied policy table, stopped with Ctrl-C as a user stops it: the signal reaches tcpdump and
/// kubetriage alike, tcpdump ends the pipe, and kubetriage reports what came through it.
/// </summary>
[Collection(LabCollection.Name)]
public sealed class PipedLabCaptureTests(LabFixture lab) : IDisposable
{
    private readonly DirectoryInfo _temp = Directory.CreateTempSubdirectory("kubetriage-pipe-lab-");

    public void Dispose() => _temp.Delete(recursive: true);

    [SkippableFact]
    public async Task TcpdumpPipedIntoCaptureFindsThePodsSynsLeavingThroughEth0()
    {
        Skip.IfNot(lab.IsAvailable, lab.SkipReason);
        Skip.IfNot(KubeTriageCli.IsBuilt, $"the CLI is not built: {KubeTriageCli.DllPath}");

        // Given
        await using var fault = await lab.Inject(Fault.Route);
        var report = Path.Combine(_temp.FullName, "report.json");
        var tcpdumpErr = Path.Combine(_temp.FullName, "tcpdump.err");
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
        var pipeline = $"tcpdump -i any -y LINUX_SLL2 -n -U -w - 2>'{tcpdumpErr}' | '{dotnet}' '{KubeTriageCli.DllPath}' capture - --ip-link <(ip -j addr) --format json -o '{report}'";
        var info = new ProcessStartInfo("setsid")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { Tools.Ip, "netns", "exec", lab.NodeNs, "bash", "-c", pipeline })
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            var listening = Stopwatch.StartNew();
            while (!(File.Exists(tcpdumpErr) && File.ReadAllText(tcpdumpErr).Contains("listening on", StringComparison.Ordinal)))
            {
                Assert.True(listening.Elapsed < TimeSpan.FromSeconds(30), $"tcpdump did not start: {(File.Exists(tcpdumpErr) ? File.ReadAllText(tcpdumpErr) : "")}");
                await Task.Delay(100);
            }

            // When: the app runs, then Ctrl-C reaches the whole pipeline (its process group)
            var app = await lab.RunApp(queries: 1);
            await Task.Delay(500);
            using (var kill = Process.Start("kill", ["-INT", "--", "-" + process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

            // Then
            var output = $"exit {process.ExitCode}\n{await stdout}\n{await stderr}\ntcpdump: {File.ReadAllText(tcpdumpErr)}";
            Assert.False(app.DatabaseSucceeded, app.ToString());
            Assert.True(File.Exists(report), output);
            using var json = JsonDocument.Parse(File.ReadAllText(report));
            var findings = json.RootElement.GetProperty("findings").EnumerateArray().ToList();
            Assert.Contains(findings, f => f.GetProperty("id").GetString() == "tcp.connect-no-reply"
                && f.GetProperty("subject").GetString()!.StartsWith("198.18.2.20:3306", StringComparison.Ordinal));
            var egress = Assert.Single(findings, f => f.GetProperty("id").GetString() == "node.pod-egress-wrong-interface");
            Assert.Equal($"pod {LabAddresses.PodIp} via stdin#eth0", egress.GetProperty("subject").GetString());
            Assert.Equal("/dev/stdin", json.RootElement.GetProperty("capture").GetProperty("files")[0].GetProperty("path").GetString());
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
