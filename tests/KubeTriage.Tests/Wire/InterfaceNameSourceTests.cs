using KubeTriage.Lab;
using KubeTriage.Wire;

namespace KubeTriage.Tests.Wire;

public sealed class InterfaceNameSourceTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kubetriage-ifnames-").FullName;

    [Fact]
    public void ReadsIndexesAndNamesFromARecordedIpLink()
    {
        // Given: ip -j link of the lab's healthy node
        var path = TestPaths.TestData("node", "lab-healthy", "ip-link.json");

        // When
        var ok = InterfaceNameSource.TryRead(path, out var names, out var problem);

        // Then
        Assert.True(ok, problem);
        Assert.Equal("lo", names[1]);
        Assert.Contains("eth0", names.Values);
        Assert.Contains("eth1", names.Values);
    }

    [Fact]
    public void ReadsTheNicSubnetsFromARecordedIpAddrAndNoneFromIpLink()
    {
        // Given: ip -j addr and ip -j link of the lab's healthy node
        var addr = TestPaths.TestData("node", "lab-healthy", "ip-addr.json");
        var link = TestPaths.TestData("node", "lab-healthy", "ip-link.json");

        // When
        var ok = InterfaceNameSource.TryRead(addr, out var names, out var subnets, out var problem);
        InterfaceNameSource.TryRead(link, out _, out var none, out _);

        // Then: loopback and host routes left out
        Assert.True(ok, problem);
        Assert.Contains("eth1", names.Values);
        Assert.Equal(["eth0 198.18.0.10/24", "eth1 198.18.1.10/24"], subnets.Select(s => s.ToString()));
        Assert.Equal("198.18.1.0/24", subnets[1].Subnet.ToString());
        Assert.Empty(none);
    }

    [Theory]
    [InlineData("not json at all", "not ip -j JSON")]
    [InlineData("[{\"ifname\":\"eth0\"}]", "no interface with an ifindex")]
    public void SaysWhyAFileNamesNothing(string content, string expected)
    {
        // Given
        var path = Path.Combine(_dir, "ip-link.json");
        File.WriteAllText(path, content);

        // When
        var ok = InterfaceNameSource.TryRead(path, out var names, out var problem);

        // Then
        Assert.False(ok);
        Assert.Empty(names);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void FindsTheNodeFileOfTheSampleBundle()
    {
        // Given: the shipped bundle's captures
        var captures = Path.Combine(TestPaths.RepoRoot, "samples", "seed-incident", "captures");

        // When
        var found = InterfaceNameSource.FindInBundle([Path.Combine(captures, "any.pcap"), Path.Combine(captures, "eth0.pcap")]);

        // Then
        Assert.Equal(Path.Combine(TestPaths.RepoRoot, "samples", "seed-incident", "nodes", "ip-198-18-0-10", "ip-link.json"), found);
    }

    [Fact]
    public void FindsNothingWhenTheNodeCannotBeTold()
    {
        // Given: a bundle with two nodes, and a capture outside any bundle
        Directory.CreateDirectory(Path.Combine(_dir, "bundle", "captures"));
        foreach (var node in new[] { "node-a", "node-b" })
        {
            Directory.CreateDirectory(Path.Combine(_dir, "bundle", "nodes", node));
            File.WriteAllText(Path.Combine(_dir, "bundle", "nodes", node, "ip-link.json"), "[]");
        }

        // When / Then
        Assert.Null(InterfaceNameSource.FindInBundle([Path.Combine(_dir, "bundle", "captures", "any.pcap")]));
        Assert.Null(InterfaceNameSource.FindInBundle([Path.Combine(_dir, "any.pcap")]));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
