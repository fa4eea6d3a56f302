using KubeTriage.Cli.Commands;
using Spectre.Console.Cli;
using Spectre.Console.Cli.Testing;
using Spectre.Console.Testing;

namespace KubeTriage.Cli.Tests.Node;

public class NodeLiveCaptureSettingsTests
{
    [Theory]
    [InlineData(new[] { "capture", "--live", "some.pcap" }, "capture --live takes no FILE (some.pcap): it captures on this node; to read files, drop --live")]
    [InlineData(new[] { "capture", "--live", "--duration", "soon" }, "--duration: 'soon' is not a duration such as 30s, 2m or 1h (at most 24h)")]
    [InlineData(new[] { "capture", "--live", "--duration", "2d" }, "--duration: '2d' is not a duration such as 30s, 2m or 1h (at most 24h)")]
    [InlineData(new[] { "capture", "-i", "eth0" }, "-i: only with --live (capture on this node)")]
    [InlineData(new[] { "capture", "--duration", "30s" }, "--duration: only with --live (capture on this node)")]
    [InlineData(new[] { "capture", "--live", "--write", "/nonexistent/dir/x.pcapng" }, "--write /nonexistent/dir/x.pcapng: directory /nonexistent/dir does not exist")]
    [InlineData(new[] { "capture" }, "capture: give at least one capture file")]
    public void RefusesOptionsThatDoNotFitTogether(string[] args, string message)
    {
        // Given
        var tester = Tester();

        // When
        var result = tester.Run(args);
        var settings = Parse(args);

        // Then
        Assert.Equal(ExitCodes.ToolError, result.ExitCode);
        Assert.Equal(message, settings.Validate().Message);
    }

    [Theory]
    [InlineData("30s", 30)]
    [InlineData("2m", 120)]
    [InlineData("1h", 3600)]
    [InlineData(null, 30)]
    public void ParsesTheDurationWithThirtySecondsByDefault(string? text, int seconds)
    {
        // Given
        var settings = new CaptureSettings { Live = true, Duration = text };

        // When
        var duration = NodeLiveCaptureSettings.ParsedDuration(settings);

        // Then
        Assert.True(settings.Validate().Successful);
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }

    [Fact]
    public void TeachesLiveCaptureInHelp()
    {
        // Given / When
        var result = Tester().Run("capture", "--help");

        // Then
        Assert.Contains("--live", result.Output, StringComparison.Ordinal);
        Assert.Contains("-i, --interface <IF>", result.Output, StringComparison.Ordinal);
        Assert.Contains("--duration <DURATION>", result.Output, StringComparison.Ordinal);
        Assert.Contains("--write <FILE>", result.Output, StringComparison.Ordinal);
    }

    private static CaptureSettings Parse(string[] args)
    {
        var files = new List<string>();
        string? duration = null, write = null;
        var interfaces = new List<string>();
        var live = false;
        for (var i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--live": live = true; break;
                case "--duration": duration = args[++i]; break;
                case "--write": write = args[++i]; break;
                case "-i": interfaces.Add(args[++i]); break;
                default: files.Add(args[i]); break;
            }
        }

        return new CaptureSettings { Files = [.. files], Live = live, Duration = duration, Write = write, Interfaces = [.. interfaces] };
    }

    private static CommandAppTester Tester()
    {
        var tester = new CommandAppTester(null, new CommandAppTesterSettings(), new TestConsole().Width(120));
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
