using KubeTriage.Node;

namespace KubeTriage.Tests.Node;

public class SysfsReaderTests
{
    [Fact]
    public void FindsAVirtioNetdevOneLevelDeeperUnderTheVirtioDevice()
    {
        // Given: virtio-net keeps its netdev at <bdf>/virtio2/net/eth0, not at <bdf>/net/
        var reader = new SysfsReader(NodeTestData.Path("sysfs-virtio-healthy"));
        var problems = new List<string>();

        // When
        var functions = reader.ReadPciFunctions(problems)!;

        // Then
        Assert.Empty(problems);
        var nic = Assert.Single(functions, f => f.IsNetwork);
        Assert.Equal("0000:00:03.0", nic.Address);
        Assert.Equal("1af4:1041", nic.Ids);
        Assert.Equal("virtio-net", nic.Model);
        Assert.Equal("virtio-pci", nic.Driver);
        Assert.Equal(["eth0"], nic.NetDevs);
    }

    [Fact]
    public void ReadsEveryFunctionButOnlyClass02IsNetwork()
    {
        // Given
        var reader = new SysfsReader(NodeTestData.Path("sysfs-virtio-healthy"));

        // When
        var functions = reader.ReadPciFunctions(new List<string>())!;

        // Then: host bridge 0x060000, balloon 0xffff00, block 0x018000 are not network functions
        Assert.Equal(["0000:00:00.0", "0000:00:01.0", "0000:00:02.0", "0000:00:03.0"], functions.Select(f => f.Address));
        Assert.Equal(["0000:00:03.0"], functions.Where(f => f.IsNetwork).Select(f => f.Address));
        Assert.Null(functions[0].Driver);
    }

    [Fact]
    public void FindsEnaNetdevsDirectlyUnderTheFunctionAndTheDriverFromUeventWhenTheLinkIsGone()
    {
        // Given: 0000:00:06.0 lost its driver link in a copy; uevent still says DRIVER=ena
        var reader = new SysfsReader(NodeTestData.Path("sysfs-ena-healthy"));

        // When
        var nics = reader.ReadPciFunctions(new List<string>())!.Where(f => f.IsNetwork).ToList();

        // Then
        Assert.Equal(["0000:00:05.0", "0000:00:06.0"], nics.Select(f => f.Address));
        Assert.Equal([["ens5"], ["ens6"]], nics.Select(f => f.NetDevs));
        Assert.All(nics, f => Assert.Equal("ena", f.Driver));
        Assert.All(nics, f => Assert.Equal("Amazon ENA (VF)", f.Model));
    }

    [Theory]
    [InlineData("sysfs-ena-missing", "0000:00:06.0", null)]
    [InlineData("sysfs-ena-probe-failed", "0000:00:06.0", "ena")]
    [InlineData("sysfs-virtio-missing", "0000:00:03.0", "virtio-pci")]
    public void SeesANetworkFunctionWithoutNetdev(string tree, string address, string? driver)
    {
        // Given
        var reader = new SysfsReader(NodeTestData.Path(tree));

        // When
        var nic = reader.ReadPciFunctions(new List<string>())!.Single(f => f.Address == address);

        // Then
        Assert.True(nic.IsNetwork);
        Assert.Empty(nic.NetDevs);
        Assert.Equal(driver, nic.Driver);
    }

    [Fact]
    public void ReadsClassNetWithTheDeviceLink()
    {
        // Given
        var reader = new SysfsReader(NodeTestData.Path("sysfs-virtio-healthy"));

        // When
        var interfaces = reader.ReadNetInterfaces(new List<string>())!;

        // Then
        var eth0 = interfaces.Single(i => i.Name == "eth0");
        Assert.Equal("06:00:c6:12:00:0a", eth0.Mac);
        Assert.Equal("up", eth0.OperState);
        Assert.Equal("../../../virtio2", eth0.Device);
        Assert.Null(interfaces.Single(i => i.Name == "lo").Device);
    }

    [Fact]
    public void SaysSoWhenThereIsNoPciDeviceList()
    {
        // Given
        var empty = Directory.CreateTempSubdirectory("kubetriage-node-sysfs-");
        try
        {
            var problems = new List<string>();

            // When
            var functions = new SysfsReader(empty.FullName).ReadPciFunctions(problems);

            // Then
            Assert.Null(functions);
            Assert.Equal($"sysfs: {Path.Combine(empty.FullName, "bus", "pci", "devices")} does not exist: PCI checks skipped", Assert.Single(problems));
        }
        finally
        {
            empty.Delete(recursive: true);
        }
    }

    [Fact]
    public void SkipsAFunctionWithoutAClassFile()
    {
        // Given
        var root = Directory.CreateTempSubdirectory("kubetriage-node-sysfs-");
        try
        {
            Directory.CreateDirectory(Path.Combine(root.FullName, "bus", "pci", "devices", "0000:00:07.0"));
            var problems = new List<string>();

            // When
            var functions = new SysfsReader(root.FullName).ReadPciFunctions(problems)!;

            // Then
            Assert.Empty(functions);
            Assert.Equal("sysfs: 0000:00:07.0: no readable class file, skipped", Assert.Single(problems));
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }
}
