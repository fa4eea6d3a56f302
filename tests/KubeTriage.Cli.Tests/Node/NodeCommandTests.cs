using System.Text.Json;
using KubeTriage.Cli.Commands;
using Spectre.Console.Cli;
using Spectre.Console.Cli.Testing;
using Spectre.Console.Testing;

namespace KubeTriage.Cli.Tests.Node;

public sealed class NodeCommandTests : IDisposable
{
    private readonly DirectoryInfo _temp = Directory.CreateTempSubdirectory("kubetriage-node-cli-");

    public void Dispose() => _temp.Delete(recursive: true);

    [Fact]
    public void PrintsTheIncidentBundlesNodeFaultsAsText()
    {
        // Given: node-a lost eth1 (its ENA function has no netdev), node-b lost table 2's routes
        // (relative to the test's working directory, so that line wrapping does not depend on where the repository is)
        var bundle = Path.GetRelativePath(Environment.CurrentDirectory, NodeCliTestData.Fixture("bundle-incident"));

        // When
        var result = Tester().Run("node", "--from", bundle);

        // Then
        Assert.Equal(ExitCodes.Findings, result.ExitCode);
        NodeCliTestData.AssertGolden("NodeCommand.IncidentBundle.Output", result.Output.Replace(bundle, "<bundle>", StringComparison.Ordinal));
    }

    [Fact]
    public void WritesFindingsAndTheNodeSectionAsJson()
    {
        // Given
        var output = Path.Combine(_temp.FullName, "node.json");

        // When
        var result = Tester().Run("node", "--from", NodeCliTestData.Fixture("bundle-incident"), "--format", "json", "-o", output);

        // Then
        Assert.Equal(ExitCodes.Findings, result.ExitCode);
        using var json = JsonDocument.Parse(File.ReadAllText(output));
        var root = json.RootElement;
        Assert.Equal(1, root.GetProperty("schemaVersion").GetInt32());
        var findings = root.GetProperty("findings").EnumerateArray().ToList();
        Assert.Equal(6, findings.Count);
        var nic = findings.Single(f => f.GetProperty("subject").GetString() == "eth1");
        Assert.Equal("node.nic-missing", nic.GetProperty("id").GetString());
        Assert.Equal("critical", nic.GetProperty("severity").GetString());
        Assert.Equal("node-a", nic.GetProperty("node").GetString());
        var route = findings.Single(f => f.GetProperty("subject").GetString() == "route table 2" && f.GetProperty("node").GetString() == "node-a");
        Assert.Equal(["node.nic-missing"], route.GetProperty("causedBy").EnumerateArray().Select(c => c.GetString()));
        var nodes = root.GetProperty("node").GetProperty("nodes").EnumerateArray().ToList();
        Assert.Equal(["node-a", "node-b"], nodes.Select(n => n.GetProperty("node").GetString()));
        var a = nodes[0];
        Assert.Equal("offline", a.GetProperty("namespace").GetProperty("state").GetString());
        Assert.Equal("198.18.0.10", a.GetProperty("interfaces")[1].GetProperty("addresses")[0].GetProperty("local").GetString());
        Assert.Equal("198.18.1.20/32", a.GetProperty("rules")[4].GetProperty("from").GetString());
        Assert.Equal("198.18.1.20", a.GetProperty("pods")[1].GetProperty("ip").GetString());
        var lookup = a.GetProperty("lookups")[1];
        Assert.Equal("simulated", lookup.GetProperty("origin").GetString());
        Assert.Equal("eth0", lookup.GetProperty("dev").GetString());
        Assert.Equal("0000:00:06.0", a.GetProperty("pciFunctions")[1].GetProperty("address").GetString());
        Assert.Equal(JsonValueKind.Null, a.GetProperty("pciFunctions")[1].GetProperty("driver").ValueKind);
    }

    [Fact]
    public void ExitsCleanOnAHealthyNode()
    {
        // Given / When
        var result = Tester().Run("node", "--from", NodeCliTestData.Fixture("eni-healthy"));

        // Then
        Assert.Equal(ExitCodes.Clean, result.ExitCode);
        Assert.StartsWith("No findings.", result.Output, StringComparison.Ordinal);
        Assert.Contains("198.18.1.20   eni5d0e6b3c9a1", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("markdown", "## Node node-b", "| 198.18.1.20 | eni5d0e6b3c9a1 | 1536: from 198.18.1.20 lookup 2 |")]
    [InlineData("html", "<h2>Node node-b</h2>", "<li>table 2: (empty)</li>")]
    public void RendersTheNodeSectionInEveryFormat(string format, string heading, string line)
    {
        // Given
        var output = Path.Combine(_temp.FullName, $"node.{format}");

        // When
        var result = Tester().Run("node", "--from", NodeCliTestData.Fixture("bundle-incident"), "--format", format, "-o", output);

        // Then
        Assert.Equal(ExitCodes.Findings, result.ExitCode);
        var text = File.ReadAllText(output);
        Assert.Contains(heading, text, StringComparison.Ordinal);
        Assert.Contains(line, text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--pod-ip", "198.18.1.x", "--pod-ip: '198.18.1.x' is not an IP address")]
    [InlineData("--pod-ip", "198.18.1", "--pod-ip: '198.18.1' is not an IP address")] // IPAddress would take it as 198.18.0.1
    [InlineData("--dst", "nowhere", "--dst: 'nowhere' is not an IP address")]
    [InlineData("--from", "/nonexistent/bundle", "--from /nonexistent/bundle: no such directory")]
    [InlineData("--sysfs-root", "/nonexistent/sys", "--sysfs-root /nonexistent/sys: no such directory")]
    [InlineData("--netns", "../etc", "--netns: '../etc' is not a namespace name")]
    public void RefusesBadOptionsWithOneLineAndExitCode2(string option, string value, string message)
    {
        // Given
        var settings = option switch
        {
            "--pod-ip" => new NodeSettings { PodIps = [value] },
            "--dst" => new NodeSettings { Destinations = [value] },
            "--from" => new NodeSettings { From = value },
            "--sysfs-root" => new NodeSettings { SysfsRoot = value },
            _ => new NodeSettings { Netns = value },
        };

        // When
        var validation = settings.Validate();
        var result = Tester().Run("node", option, value);

        // Then
        Assert.False(validation.Successful);
        Assert.Equal(message, validation.Message);
        Assert.Equal(ExitCodes.ToolError, result.ExitCode);
    }

    [Fact]
    public void RefusesANetworkNamespaceThatDoesNotExist()
    {
        // Given
        var name = $"kubetriage-absent-{Guid.NewGuid():N}";

        // When
        var result = Tester().Run("node", "--netns", name);

        // Then
        Assert.Equal(ExitCodes.ToolError, result.ExitCode);
        Assert.DoesNotContain("Node ", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void RefusesFromTogetherWithNetns()
    {
        // Given
        var settings = new NodeSettings { From = _temp.FullName, Netns = "node-a" };

        // When
        var validation = settings.Validate();

        // Then
        Assert.Equal("--from and --netns: pick one (collected files, or a live namespace)", validation.Message);
    }

    [Fact]
    public void RefusesADirectoryThatHoldsNoNodeFiles()
    {
        // Given
        File.WriteAllText(Path.Combine(_temp.FullName, "notes.txt"), "not a bundle");

        // When
        var result = Tester().Run("node", "--from", _temp.FullName);

        // Then
        Assert.Equal(ExitCodes.ToolError, result.ExitCode);
    }

    [Fact]
    public void ReportsGarbledFilesAsProblemsAndKeepsTheRest()
    {
        // Given: a node dir whose rules are a lone "[" (what ip prints for a table that never existed)
        var node = Directory.CreateDirectory(Path.Combine(_temp.FullName, "node-x"));
        foreach (var file in new[] { "ip-addr.json", "ip-link.json", "ip-route.json" })
        {
            File.Copy(NodeCliTestData.Fixture("eni-route", file), Path.Combine(node.FullName, file));
        }

        File.WriteAllText(Path.Combine(node.FullName, "ip-rule.json"), "[");

        // When
        var result = Tester().Run("node", "--from", node.FullName);

        // Then: without rules no policy verdict, but the rest is shown
        Assert.Equal(ExitCodes.Clean, result.ExitCode);
        Assert.Contains("node node-x: ip-rule.json: not ip -j JSON (line 1, byte 2)", result.Output, StringComparison.Ordinal);
        Assert.Contains("198.18.1.10/24", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void TeachesItsUseInHelp()
    {
        // Given / When
        var result = Tester().Run("node", "--help");

        // Then
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("node.nic-missing", result.Output, StringComparison.Ordinal);
        Assert.Contains("kubetriage node --pod-ip 10.0.97.30", result.Output, StringComparison.Ordinal);
        Assert.Contains("--sysfs-root <DIR>", result.Output, StringComparison.Ordinal);
        Assert.Contains("--format <FORMAT>", result.Output, StringComparison.Ordinal);
    }

    private static CommandAppTester Tester()
    {
        var tester = new CommandAppTester(null, new CommandAppTesterSettings(), new TestConsole().Width(100));
        tester.Configure(config =>
        {
            config.SetApplicationName("kubetriage");
            config.UseStrictParsing();
            Registration.AddCommands(config);
            config.SetExceptionHandler((ex, _) => ErrorHandler.Handle(ex));
        });
        return tester;
    }
}
