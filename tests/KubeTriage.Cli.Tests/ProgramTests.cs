using KubeTriage.Cli.Tests.Capture;

namespace KubeTriage.Cli.Tests;

public class ProgramTests
{
    [Fact]
    public void VersionPrintsTheToolVersionAndExitsZero()
    {
        // When
        var (exitCode, stdout, stderr) = CliRunner.RunProcess("--version");

        // Then
        Assert.Equal(0, exitCode);
        Assert.Equal("0.1.0", stdout.Trim());
        Assert.Equal(string.Empty, stderr);
    }
}
