using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using KubeTriage.Lab;

namespace KubeTriage.Cli.Tests.Commands;

/// <summary>Runs the built CLI as a process, as a user would, and checks exit codes, stdout and the one stderr line.</summary>
public sealed class ClusterCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kt-cluster-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "testdata", "cluster", name);

    [Fact]
    public async Task TheIncidentBundleGivesCriticalFindingsOnTheCoreDnsNodeAndExitsOne()
    {
        // Given
        var bundle = Fixture("incident-single-replica-crashloop");

        // When
        var (exit, stdout, stderr) = await RunAsync(["cluster", "--from", bundle, "--format", "json"]);

        // Then
        Assert.Equal(1, exit);
        Assert.Equal(string.Empty, stderr);
        using var json = JsonDocument.Parse(stdout);
        var findings = json.RootElement.GetProperty("findings").EnumerateArray().ToList();
        Assert.Equal(
            ["cluster-dns.apiserver-unreachable", "cluster-dns.no-ready-endpoints", "cluster-dns.pod-unstable", "cluster-dns.single-replica", "cluster-dns.upstream-timeout"],
            findings.Select(f => f.GetProperty("id").GetString()));
        Assert.All(findings, f => Assert.Equal("critical", f.GetProperty("severity").GetString()));
        Assert.All(findings, f => Assert.Equal("worker-1", f.GetProperty("node").GetString()));
        var coreDns = json.RootElement.GetProperty("cluster").GetProperty("coreDns");
        Assert.Equal("198.18.2.11:53", coreDns.GetProperty("corefile").GetProperty("forwardTargets")[0].GetProperty("targets")[0].GetString());
        Assert.Equal(42, coreDns.GetProperty("logs")[1].GetProperty("classes").GetProperty("upstream-timeout").GetInt32());
    }

    [Fact]
    public async Task AHealthyBundleExitsZero()
    {
        // Given
        var bundle = Fixture("healthy-2-replicas");

        // When
        var (exit, stdout, _) = await RunAsync(["cluster", "--from", bundle]);

        // Then
        Assert.Equal(0, exit);
        Assert.Contains("No findings.", stdout, StringComparison.Ordinal);
        Assert.Contains("deployment kube-system/coredns: 2/2 ready", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("markdown", "## Cluster DNS")]
    [InlineData("html", "<h2>Cluster DNS</h2>")]
    public async Task WritesEveryFormatToAFile(string format, string marker)
    {
        // Given
        var output = Path.Combine(_dir, "report." + format);

        // When
        var (exit, _, _) = await RunAsync(["cluster", "--from", Fixture("forward-loop"), "--format", format, "-o", output]);

        // Then
        Assert.Equal(1, exit);
        var text = await File.ReadAllTextAsync(output);
        Assert.Contains(marker, text, StringComparison.Ordinal);
        Assert.Contains("cluster-dns.forward-loop", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingBundleDirectoryIsOneLineAndExitTwo()
    {
        // Given
        var dir = Path.Combine(_dir, "no-such-bundle");

        // When
        var (exit, stdout, stderr) = await RunAsync(["cluster", "--from", dir]);

        // Then
        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, stdout);
        Assert.Equal($"kubetriage: --from {dir}: {dir}: not a directory", stderr.TrimEnd());
    }

    [Fact]
    public async Task ABundleWithoutResourcesIsOneLineAndExitTwo()
    {
        // Given: an empty directory

        // When
        var (exit, _, stderr) = await RunAsync(["cluster", "--from", _dir]);

        // Then
        Assert.Equal(2, exit);
        Assert.StartsWith($"kubetriage: --from {_dir}: cluster/resources.json not found", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task ATruncatedResourcesFileIsOneLineAndExitTwo()
    {
        // Given
        Directory.CreateDirectory(Path.Combine(_dir, "cluster"));
        var full = await File.ReadAllTextAsync(Path.Combine(Fixture("healthy-2-replicas"), "cluster", "resources.json"));
        await File.WriteAllTextAsync(Path.Combine(_dir, "cluster", "resources.json"), full[..(full.Length / 2)]);

        // When
        var (exit, _, stderr) = await RunAsync(["cluster", "--from", _dir]);

        // Then
        Assert.Equal(2, exit);
        Assert.StartsWith($"kubetriage: --from {_dir}: cluster/resources.json: not valid JSON", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.TrimEnd().Split('\n'));
    }

    [Theory]
    [InlineData("garbage", "not a usable kubeconfig")]
    [InlineData("unknown-context", "staging")]
    [InlineData("missing", "file not found")]
    public async Task ABadKubeconfigIsOneLineAndExitTwo(string kind, string expected)
    {
        // Given
        var file = Path.Combine(_dir, "kubeconfig");
        if (kind == "garbage")
        {
            await File.WriteAllTextAsync(file, "clusters: [this is {not yaml");
        }
        else if (kind == "unknown-context")
        {
            await File.WriteAllTextAsync(file, Kubeconfig("http://127.0.0.1:9"));
        }

        // When
        var (exit, stdout, stderr) = await RunAsync(["cluster", "--kubeconfig", file, .. kind == "unknown-context" ? new[] { "--context", "staging" } : []]);

        // Then
        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, stdout);
        Assert.StartsWith($"kubetriage: --kubeconfig {file}: ", stderr, StringComparison.Ordinal);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
        Assert.Single(stderr.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task NoKubeconfigAnywhereIsOneLine()
    {
        // Given: an empty HOME, no KUBECONFIG, not in a pod
        var env = new Dictionary<string, string?> { ["HOME"] = _dir, ["KUBECONFIG"] = null, ["KUBERNETES_SERVICE_HOST"] = null };

        // When
        var (exit, _, stderr) = await RunAsync(["cluster"], env);

        // Then
        Assert.Equal(2, exit);
        Assert.StartsWith("kubetriage: no kubeconfig: pass --kubeconfig FILE, set KUBECONFIG", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnApiServerThatNeverAnswersGivesOneLineWithItsUrlWithinTheTimeout()
    {
        // Given: accepts TCP, never answers
        using var blackHole = new TcpListener(IPAddress.Loopback, 0);
        blackHole.Start();
        var held = new List<TcpClient>();
        using var stop = new CancellationTokenSource();
        var accept = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    held.Add(await blackHole.AcceptTcpClientAsync(stop.Token));
                }
            }
            catch (OperationCanceledException)
            {
                // Test over.
            }
        });
        var url = $"http://127.0.0.1:{((IPEndPoint)blackHole.LocalEndpoint).Port}";
        var file = Path.Combine(_dir, "kubeconfig");
        await File.WriteAllTextAsync(file, Kubeconfig(url));
        var clock = Stopwatch.StartNew();

        // When
        var (exit, stdout, stderr) = await RunAsync(["cluster", "--kubeconfig", file, "--request-timeout", "1s"]);

        // Then
        clock.Stop();
        await stop.CancelAsync();
        await accept;
        held.ForEach(c => c.Dispose());
        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, stdout);
        Assert.Equal($"kubetriage: cannot reach the api-server at {url}: no answer within 1s", stderr.TrimEnd());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
    }

    [Theory]
    [InlineData(new[] { "cluster", "--from", "x", "--kubeconfig", "y" }, "--from reads a bundle directory")]
    [InlineData(new[] { "cluster", "-n", "shop" }, "-n/--namespace is the namespace of --pod")]
    [InlineData(new[] { "cluster", "--pod", "a/b/c" }, "--pod: 'a/b/c' is not NAME or NAMESPACE/NAME")]
    [InlineData(new[] { "cluster", "--request-timeout", "soon" }, "--request-timeout: 'soon' is not a duration")]
    [InlineData(new[] { "cluster", "--format", "yaml" }, "--format: 'yaml' is not one of")]
    public async Task RejectsBadOptionCombinations(string[] args, string expected)
    {
        // Given / When
        var (exit, _, stderr) = await RunAsync(args);

        // Then
        Assert.Equal(2, exit);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HelpTeachesWithExamples()
    {
        // Given / When
        var (exit, stdout, _) = await RunAsync(["cluster", "--help"]);

        // Then
        Assert.Equal(0, exit);
        Assert.Contains("--kubeconfig", stdout, StringComparison.Ordinal);
        Assert.Contains("--from", stdout, StringComparison.Ordinal);
        Assert.Contains("cluster --from bundle/ --format json -o cluster.json", stdout, StringComparison.Ordinal);
    }

    private static string Kubeconfig(string url) => TestKubeconfig.WithToken(url);

    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(string[] args, IReadOnlyDictionary<string, string?>? environment = null)
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

        start.Environment["KUBETRIAGE_DEBUG"] = null;
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
