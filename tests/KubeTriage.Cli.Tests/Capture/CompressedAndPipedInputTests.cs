using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json;

namespace KubeTriage.Cli.Tests.Capture;

/// <summary>
/// <c>capture</c> on a gzip-compressed file and on standard input (<c>tcpdump -w - | kubetriage capture -</c>),
/// with the lab's recording of the incident: the same findings as the plain file.
/// </summary>
public class CompressedAndPipedInputTests
{
    private static readonly string[] IncidentFindings =
    [
        "critical node.pod-egress-wrong-interface", "critical tcp.connect-no-reply", "warning dependency.slow", "warning dns.no-response",
        "warning dns.unexpected-answer", "warning mysql.slow-query", "warning tcp.retransmissions", "info dns.error-rcode",
    ];

    [Fact]
    public void AGzipCompressedCaptureGivesTheSameFindingsAsThePlainOne()
    {
        // Given
        using var temp = TestFiles.Temp();
        var gz = temp.File("any.pcap.gz");
        File.WriteAllBytes(gz, Gzip(File.ReadAllBytes(Incident())));

        // When
        var plain = CaptureReportReader.Run("capture", Incident(), "--expect", Expect());
        var compressed = CaptureReportReader.Run("capture", gz, "--expect", Expect());

        // Then
        Assert.Equal(plain.Findings.Select(f => f.ToString()), compressed.Findings.Select(f => f.ToString()));
        Assert.Equal(1, compressed.ExitCode);
    }

    [Fact]
    public void TheFilesOfATcpdumpRingBufferReadAsOneCapture()
    {
        // Given: the incident's any.pcap cut in two the way tcpdump -C/-W rotates (any.pcap0, any.pcap1.gz)
        var bytes = File.ReadAllBytes(Incident());
        var cut = RecordBoundaryNear(bytes, bytes.Length / 2);
        using var temp = TestFiles.Temp();
        File.WriteAllBytes(temp.File("any.pcap0"), bytes[..cut]);
        File.WriteAllBytes(temp.File("any.pcap1.gz"), Gzip([.. bytes[..24], .. bytes[cut..]]));

        // When
        var whole = CaptureReportReader.Run("capture", Incident(), "--expect", Expect());
        var rotated = CaptureReportReader.Run("capture", temp.File("any.pcap0"), temp.File("any.pcap1.gz"), "--expect", Expect());

        // Then: the same findings on the same interfaces (any#if2, not any.pcap0#if2 and any.pcap1#if2)
        Assert.Equal(whole.Findings.Select(f => f.ToString()), rotated.Findings.Select(f => f.ToString()));
    }

    [Fact]
    public void ADirectoryStandsForTheCaptureFilesInIt()
    {
        // Given: the ring buffer of the test above, with a file that is no capture beside it
        var bytes = File.ReadAllBytes(Incident());
        var cut = RecordBoundaryNear(bytes, bytes.Length / 2);
        using var temp = TestFiles.Temp();
        File.WriteAllBytes(temp.File("any.pcap0"), bytes[..cut]);
        File.WriteAllBytes(temp.File("any.pcap1.gz"), Gzip([.. bytes[..24], .. bytes[cut..]]));
        File.WriteAllText(temp.File("notes.txt"), "taken on the node during the outage");

        // When
        var files = CaptureReportReader.Run("capture", temp.File("any.pcap0"), temp.File("any.pcap1.gz"), "--expect", Expect());
        var directory = CaptureReportReader.Run("capture", temp.Path, "--expect", Expect());

        // Then
        Assert.Equal(files.Findings.Select(f => f.ToString()), directory.Findings.Select(f => f.ToString()));
        Assert.Equal(1, directory.ExitCode);
    }

    [Fact]
    public void ADirectoryWithoutCapturesIsOneClearError()
    {
        // Given
        using var temp = TestFiles.Temp();
        File.WriteAllText(temp.File("notes.txt"), "no capture here");

        // When
        var (exit, _, stderr) = CliRunner.RunProcess("capture", temp.Path);

        // Then
        Assert.Equal(2, exit);
        Assert.Contains("a directory with no capture file in it", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void DashReadsACaptureFromStandardInputCompressedOrNot()
    {
        foreach (var compress in new[] { false, true })
        {
            // Given
            var bytes = File.ReadAllBytes(Incident());

            // When
            var (exit, stdout, stderr) = CliRunner.RunProcessWithInput(compress ? Gzip(bytes) : bytes, "capture", "-", "--expect", Expect(), "--format", "json");

            // Then
            Assert.True(exit == 1, $"exit {exit}: {stderr}");
            using var json = JsonDocument.Parse(stdout);
            var file = json.RootElement.GetProperty("capture").GetProperty("files")[0];
            Assert.Equal("/dev/stdin", file.GetProperty("path").GetString());
            Assert.Equal(compress ? "gzip" : null, file.GetProperty("compression").GetString());
            Assert.Equal(624, file.GetProperty("packets").GetInt64());
            var findings = json.RootElement.GetProperty("findings").EnumerateArray()
                .Select(f => $"{f.GetProperty("severity").GetString()} {f.GetProperty("id").GetString()}").ToList();
            Assert.Equal(IncidentFindings, findings);
        }
    }

    [Fact]
    public async Task CtrlCWhileReadingAPipeStillAnalysesTheWholeCapture()
    {
        // Given: the incident's records four times over (more than the engine's cancellation check interval),
        // the first copy sent, then Ctrl-C, as when it reaches tcpdump and kubetriage alike
        var bytes = File.ReadAllBytes(Incident());
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "KubeTriage.Cli.dll"), "capture", "-", "--format", "json" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var input = process.StandardInput.BaseStream;
        input.Write(bytes);
        input.Flush();
        await Task.Delay(2000);

        // When
        using (var kill = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            kill.WaitForExit();
        }

        await Task.Delay(300);
        for (var copy = 0; copy < 3; copy++)
        {
            input.Write(bytes.AsSpan(24));
        }

        input.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        var output = await stdout;
        var errors = await stderr;

        // Then: the pipe's end, not the signal, ends the reading
        Assert.True(process.ExitCode == 1, $"exit {process.ExitCode}: {errors}");
        using var json = JsonDocument.Parse(output);
        Assert.Equal(4 * 624, json.RootElement.GetProperty("capture").GetProperty("files")[0].GetProperty("packets").GetInt64());
    }

    [Fact]
    public void StandardInputCanBeReadOnlyOnce()
    {
        // When
        var (exit, stdout, stderr) = CliRunner.RunProcessWithInput([], "capture", "-", "-");

        // Then
        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, stdout);
        Assert.Contains("standard input ('-') can be read only once", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEmptyPipeIsOneClearError()
    {
        // When
        var (exit, _, stderr) = CliRunner.RunProcessWithInput([], "capture", "-");

        // Then
        Assert.Equal(2, exit);
        Assert.Equal("kubetriage: /dev/stdin: the file is empty", stderr.Trim());
    }

    [Theory]
    [InlineData(new[] { "capture", "-" }, new[] { "capture", "/dev/stdin" })]
    [InlineData(new[] { "capture", "eth0.pcap", "-", "--format", "json" }, new[] { "capture", "eth0.pcap", "/dev/stdin", "--format", "json" })]
    [InlineData(new[] { "capture", "--live", "-" }, new[] { "capture", "--live", "/dev/stdin" })]
    [InlineData(new[] { "capture", "-o", "-", "x.pcap" }, new[] { "capture", "-o", "-", "x.pcap" })]
    [InlineData(new[] { "node", "-" }, new[] { "node", "-" })]
    public void ADashInThePlaceOfAFileBecomesStandardInput(string[] args, string[] expected)
    {
        // When
        var rewritten = StandardInputArgument.Rewrite(args);

        // Then
        Assert.Equal(expected, rewritten);
    }

    private static string Incident() => TestFiles.LabRecording(Path.Combine("incident", "any.pcap"));

    private static string Expect() => Path.Combine(TestFiles.RepoRoot(), "tests", "lab", "expect.yaml");

    /// <summary>The offset of the first pcap record at or after <paramref name="near"/> (walking the record headers).</summary>
    private static int RecordBoundaryNear(byte[] pcap, int near)
    {
        var offset = 24;
        while (offset < near)
        {
            offset += 16 + BitConverter.ToInt32(pcap, offset + 8);
        }

        return offset;
    }

    private static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(bytes);
        }

        return output.ToArray();
    }
}
