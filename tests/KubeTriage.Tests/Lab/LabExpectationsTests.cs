using System.Net;
using KubeTriage.Lab;
using KubeTriage.Names;

namespace KubeTriage.Tests.Lab;

public sealed class LabExpectationsTests
{
    [Fact]
    public void LabExpectationsDeclareTheAppsPeersWithTheLabAddresses()
    {
        // Given the lab's expectations file
        var path = Path.Combine(TestPaths.RepoRoot, "tests", "lab", "expect.yaml");

        // When it is loaded
        var expectations = ExpectationsLoader.LoadFile(path);

        // Then it names the app's peers at the lab's addresses
        Assert.Equal(["cluster-dns", "example-api.com", "mysql", "oss.example.com"], expectations.Dependencies.Select(d => d.Name));
        var mysql = expectations.Dependencies.Single(d => d.Name == "mysql");
        Assert.Equal(IPAddress.Parse(LabAddresses.Database), mysql.AddressIp);
        Assert.Equal(LabAddresses.DatabasePort, mysql.AddressPort);
        var oss = expectations.ForName(LabAddresses.ObjectStoreName)!;
        Assert.False(oss.IsUnexpected(IPAddress.Parse(LabAddresses.ObjectStoreDedicated)));
        Assert.True(oss.IsUnexpected(IPAddress.Parse(LabAddresses.ObjectStorePublic)));
        Assert.Equal(1000, expectations.SlowQueryMs);
    }
}
