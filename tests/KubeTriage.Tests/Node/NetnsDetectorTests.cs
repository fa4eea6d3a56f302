using KubeTriage.Node;

namespace KubeTriage.Tests.Node;

public sealed class NetnsDetectorTests : IDisposable
{
    private readonly DirectoryInfo _proc = Directory.CreateTempSubdirectory("kubetriage-node-proc-");

    public void Dispose() => _proc.Delete(recursive: true);

    [Fact]
    public void SeesTheHostNamespaceWhenPid1SharesIt()
    {
        // Given
        NamespaceLink("self", "net:[4026531833]");
        NamespaceLink("1", "net:[4026531833]");

        // When
        var status = NetnsDetector.Detect(_proc.FullName);

        // Then
        Assert.Equal(NetnsState.Host, status.State);
        Assert.True(status.PciChecksApply);
    }

    [Fact]
    public void SaysItRunsOutsideTheHostNamespaceWhenPid1DiffersAndSkipsPciChecks()
    {
        // Given: what a pod without hostNetwork, or ip netns exec, sees
        NamespaceLink("self", "net:[4026532301]");
        NamespaceLink("1", "net:[4026531833]");

        // When
        var status = NetnsDetector.Detect(_proc.FullName, () => "kt1234-node\n");

        // Then
        Assert.Equal(NetnsState.Outside, status.State);
        Assert.False(status.PciChecksApply);
        Assert.Equal(
            "running outside the host network namespace: host NICs are hidden from sysfs, PCI checks skipped "
            + "(this process: net:[4026532301], PID 1: net:[4026531833], namespace kt1234-node)",
            status.Detail);
    }

    [Fact]
    public void FallsBackToTheNamedNamespaceWhenPid1CannotBeRead()
    {
        // Given: no 1/ns/net (unreadable without CAP_SYS_PTRACE), but ip netns identify names our namespace
        NamespaceLink("self", "net:[4026532301]");

        // When
        var status = NetnsDetector.Detect(_proc.FullName, () => "kt1234-node");

        // Then
        Assert.Equal(NetnsState.Outside, status.State);
        Assert.EndsWith("(inside network namespace kt1234-node, net:[4026532301])", status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void AssumesTheHostAndSaysSoWhenNothingTells()
    {
        // Given
        NamespaceLink("self", "net:[4026531833]");

        // When
        var status = NetnsDetector.Detect(_proc.FullName, () => null);

        // Then
        Assert.Equal(NetnsState.Unknown, status.State);
        Assert.True(status.PciChecksApply);
        Assert.Contains("assuming the host network namespace", status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void SkipsPciChecksForANamedNamespaceInspectedFromOutside()
    {
        // Given / When
        var status = NetnsDetector.Named("kt1234-node");

        // Then
        Assert.Equal(NetnsState.Named, status.State);
        Assert.False(status.PciChecksApply);
    }

    [Fact]
    public void ReadsThisProcesssRealNamespaceLink()
    {
        // Given: the real /proc (PID 1's link may be unreadable here; then the verdict is Unknown or Outside)

        // When
        var status = NetnsDetector.Detect("/proc", () => null);

        // Then
        Assert.DoesNotContain("cannot read /proc/self/ns/net", status.Detail, StringComparison.Ordinal);
        Assert.Matches(@"net:\[\d+\]", status.Detail);
    }

    private void NamespaceLink(string pid, string target)
    {
        var ns = Directory.CreateDirectory(Path.Combine(_proc.FullName, pid, "ns"));
        File.CreateSymbolicLink(Path.Combine(ns.FullName, "net"), target);
    }
}
