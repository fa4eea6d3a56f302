using System.Text.Json;
using KubeTriage.Names;

namespace KubeTriage.Cli.Tests.Capture;

public class CaptureCommandTests
{
    [Fact]
    public void HelpTeachesTheOptionsAndShowsExamples()
    {
        // When
        var result = CliRunner.Run("capture", "--help");

        // Then
        Assert.Equal(0, result.ExitCode);
        foreach (var option in new[] { "--pod-ip", "--expect", "--slow-query-ms", "--write-expect", "--ip-link", "--format", "--output", "eth0.pcap eth1.pcap" })
        {
            Assert.Contains(option, result.Output);
        }
    }

    [Fact]
    public void AMissingFileIsOneLineAndExitTwo()
    {
        // When
        var (exit, stdout, stderr) = CliRunner.RunProcess("capture", "/nonexistent/trace.pcap");

        // Then
        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, stdout);
        Assert.Equal("kubetriage: /nonexistent/trace.pcap: no such file\n", stderr.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void AFileThatIsNotACaptureIsOneLineAndExitTwo()
    {
        // Given
        using var temp = TestFiles.Temp();
        var notes = temp.File("notes.txt");
        File.WriteAllText(notes, "these are not packets, just a text file that someone passed by mistake\n");

        // When
        var (exit, stdout, stderr) = CliRunner.RunProcess("capture", notes, "--format", "json");

        // Then
        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, stdout);
        var line = Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.StartsWith($"kubetriage: {notes}: ", line);
    }

    [SkippableTheory]
    [InlineData("--pod-ip", "10.0.0.300", "--pod-ip: '10.0.0.300' is not an IPv4 or IPv6 address")]
    [InlineData("--slow-query-ms", "-5", "--slow-query-ms: -5 must be 0 or more")]
    [InlineData("--format", "yaml", "--format: 'yaml' is not one of text, json, markdown, html")]
    [InlineData("--expect", "/nonexistent/expect.yaml", "--expect /nonexistent/expect.yaml: no such file")]
    [InlineData("--ip-link", "/nonexistent/ip-link.json", "--ip-link /nonexistent/ip-link.json: no such file")]
    public void BadOptionsAreOneLineAndExitTwo(string option, string value, string message)
    {
        // Given
        var capture = TestFiles.PublicCapture("chrissanders__tcp-refused-rst.pcapng");

        // When
        var (exit, _, stderr) = CliRunner.RunProcess("capture", capture, option, value);

        // Then
        Assert.Equal(2, exit);
        Assert.Equal($"kubetriage: {message}\n", stderr.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void AnAnyCaptureInABundleTakesItsNodesInterfaceNames()
    {
        // Given: the shipped bundle's tcpdump -i any capture (its node file knows lo, eth0 and the pod's veth)
        var any = Path.Combine(TestFiles.RepoRoot(), "samples", "seed-incident", "captures", "any.pcap");

        // When
        var (exit, stdout, _) = CliRunner.RunProcess("capture", any, "--format", "json");

        // Then: named from nodes/ip-198-18-0-10/ip-link.json; eth1 was absent from the node when it was recorded
        Assert.Equal(1, exit);
        using var report = JsonDocument.Parse(stdout);
        var names = report.RootElement.GetProperty("capture").GetProperty("interfaces").EnumerateArray().Select(i => i.GetProperty("name").GetString()).ToList();
        Assert.Equal(["any#enie3be3ad2cb5", "any#eth0", "any#if3"], names);
        var egress = report.RootElement.GetProperty("findings").EnumerateArray().First(f => f.GetProperty("id").GetString() == "node.pod-egress-wrong-interface");
        Assert.Equal("pod 198.18.1.20 via any#eth0", egress.GetProperty("subject").GetString());
    }

    [Fact]
    public void IpLinkNamesTheInterfacesOfAnAnyCaptureAndABadOneIsOneLine()
    {
        // Given: the same capture outside its bundle, its node's ip -j link, and a file that is not ip JSON
        var sample = Path.Combine(TestFiles.RepoRoot(), "samples", "seed-incident");
        using var temp = TestFiles.Temp();
        var any = temp.File("any.pcap");
        File.Copy(Path.Combine(sample, "captures", "any.pcap"), any);
        var garbage = temp.File("ip-link.json");
        File.WriteAllText(garbage, "1: lo: <LOOPBACK,UP> mtu 65536\n");

        // When
        var plain = CliRunner.RunProcess("capture", any, "--format", "json");
        var named = CliRunner.RunProcess("capture", any, "--format", "json", "--ip-link", Path.Combine(sample, "nodes", "ip-198-18-0-10", "ip-link.json"));
        var bad = CliRunner.RunProcess("capture", any, "--ip-link", garbage);

        // Then
        Assert.Equal(["any#if4", "any#if2", "any#if3"], InterfaceNames(plain.Stdout));
        Assert.Equal(["any#enie3be3ad2cb5", "any#eth0", "any#if3"], InterfaceNames(named.Stdout));
        Assert.Equal(2, bad.ExitCode);
        Assert.Equal(string.Empty, bad.Stdout);
        var line = Assert.Single(bad.Stderr.TrimEnd('\n').Split('\n'));
        Assert.StartsWith($"kubetriage: --ip-link {garbage}: not ip -j JSON", line);
    }

    private static List<string?> InterfaceNames(string json)
    {
        using var report = JsonDocument.Parse(json);
        return report.RootElement.GetProperty("capture").GetProperty("interfaces").EnumerateArray().Select(i => i.GetProperty("name").GetString()).ToList();
    }

    [SkippableFact]
    public void ATruncatedCaptureIsAProblemAndWhatWasReadIsKept()
    {
        // Given: the SYN-no-answer capture cut inside one of its last packet records
        var source = TestFiles.PublicCapture("chrissanders__http-syn-no-answer.pcapng");
        using var temp = TestFiles.Temp();
        var cut = temp.File("cut.pcapng");
        var bytes = File.ReadAllBytes(source);
        File.WriteAllBytes(cut, bytes[..(bytes.Length - 1500)]);
        var json = temp.File("report.json");

        // When
        var result = CliRunner.Run("capture", cut, "--format", "json", "-o", json);

        // Then
        Assert.Equal(1, result.ExitCode);
        using var report = JsonDocument.Parse(File.ReadAllText(json));
        var problems = report.RootElement.GetProperty("problems").EnumerateArray().Select(p => p.GetString()!).ToList();
        Assert.Contains(problems, p => p.StartsWith(cut + ": ", StringComparison.Ordinal));
        var file = report.RootElement.GetProperty("capture").GetProperty("files")[0];
        Assert.True(file.GetProperty("packets").GetInt64() > 100);
        Assert.NotEmpty(file.GetProperty("problems").EnumerateArray());
        Assert.Contains(report.RootElement.GetProperty("findings").EnumerateArray(), f => f.GetProperty("id").GetString() == "tcp.connect-no-reply");
    }

    [SkippableFact]
    public void GarbageAfterTheLastPacketIsAProblemNotAFailure()
    {
        // Given
        var source = TestFiles.PublicCapture("chrissanders__tcp-refused-rst.pcapng");
        using var temp = TestFiles.Temp();
        var garbage = temp.File("garbage.pcapng");
        File.WriteAllBytes(garbage, [.. File.ReadAllBytes(source), .. Enumerable.Range(0, 300).Select(i => (byte)(i * 37))]);
        var json = temp.File("report.json");

        // When
        var result = CliRunner.Run("capture", garbage, "--format", "json", "-o", json);

        // Then
        Assert.Equal(1, result.ExitCode);
        using var report = JsonDocument.Parse(File.ReadAllText(json));
        Assert.NotEmpty(report.RootElement.GetProperty("problems").EnumerateArray());
        Assert.Equal("tcp.connect-refused", report.RootElement.GetProperty("findings")[0].GetProperty("id").GetString());
    }

    [SkippableFact]
    public void JsonOnStdoutIsOneCleanDocument()
    {
        // Given
        var capture = TestFiles.PublicCapture("chrissanders__tcp-refused-rst.pcapng");

        // When
        var (exit, stdout, stderr) = CliRunner.RunProcess("capture", capture, "--format", "json");

        // Then
        Assert.Equal(1, exit);
        Assert.Equal(string.Empty, stderr);
        using var report = JsonDocument.Parse(stdout);
        Assert.Equal("capture", report.RootElement.GetProperty("command").GetString());
    }

    [SkippableFact]
    public void WriteExpectDraftsAFileThatTheSameCaptureSatisfies()
    {
        // Given
        var capture = TestFiles.PublicCapture("chrissanders__http-baseline.pcapng");
        using var temp = TestFiles.Temp();
        var expect = temp.File("expect.yaml");

        // When
        var first = CliRunner.Run("capture", capture, "--write-expect", expect);
        var second = CliRunner.Run("capture", capture, "--expect", expect);

        // Then
        Assert.Equal(0, first.ExitCode);
        var draft = ExpectationsLoader.LoadFile(expect);
        Assert.NotEmpty(draft.Dependencies);
        Assert.Equal(1000, draft.SlowQueryMs);
        Assert.Equal(0, second.ExitCode);
        Assert.DoesNotContain("dependency.undeclared", second.Output);
    }
}
