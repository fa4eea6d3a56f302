using KubeTriage.Node;

namespace KubeTriage.Tests.Node;

public class IpCommandTests
{
    [Fact]
    public async Task SaysInOneLineThatIpIsMissing()
    {
        // Given
        var ip = new IpCommand(executable: "/nonexistent/bin/ip");

        // When
        var error = await Assert.ThrowsAsync<IpNotFoundException>(() => ip.RunAsync(["-j", "link", "show"], CancellationToken.None));

        // Then
        Assert.Equal("/nonexistent/bin/ip (iproute2) is not installed or not on PATH", error.Message);
    }

    [SkippableFact]
    public async Task RunsIpAndReturnsItsOutputAndComplaints()
    {
        // Given
        Skip.IfNot(File.Exists("/usr/sbin/ip") || File.Exists("/sbin/ip") || File.Exists("/usr/bin/ip"), "iproute2 is not installed");
        var ip = new IpCommand();

        // When
        var links = await ip.RunAsync(["-j", "link", "show", "lo"], CancellationToken.None);
        var missing = await ip.RunAsync(["-j", "link", "show", "kt-no-such-link"], CancellationToken.None);

        // Then
        Assert.True(links.Ok);
        Assert.Equal("lo", Assert.Single(IpInterfaceParser.Parse(links.Stdout).Items).Name);
        Assert.False(missing.Ok);
        Assert.Equal("Device \"kt-no-such-link\" does not exist.", missing.Complaint);
    }
}
