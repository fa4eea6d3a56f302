using System.Net;
using KubeTriage.Node;

namespace KubeTriage.Tests.Node;

public class IpInterfaceParserTests
{
    [Fact]
    public void ParsesAddressesStateAndVethsOfTheRecordedEniNode()
    {
        // Given
        var json = NodeTestData.Read("eni-healthy", "ip-addr.json");

        // When
        var result = IpInterfaceParser.Parse(json);

        // Then
        Assert.True(result.Readable);
        Assert.Empty(result.Problems);
        Assert.Equal(["lo", "eth0", "eth1", "eni5d0e6b3c9a1", "eni7c1d2e8f04b"], result.Items.Select(i => i.Name));
        var eth1 = result.Items.Single(i => i.Name == "eth1");
        var address = Assert.Single(eth1.Addresses);
        Assert.Equal(IPAddress.Parse("198.18.1.10"), address.Local);
        Assert.Equal(24, address.PrefixLength);
        Assert.Equal("198.18.1.0/24", address.Subnet.ToString());
        Assert.True(address.DefinesSubnet);
        Assert.Equal("02:00:c6:12:01:0a", eth1.Mac);
        Assert.False(eth1.IsDown);
        var veth = result.Items.Single(i => i.Name == "eni5d0e6b3c9a1");
        Assert.Empty(veth.Addresses);
    }

    [Fact]
    public void TreatsOperstateUnknownAsUpForLoopbackAndBridges()
    {
        // Given: lo and the cni0 bridge report UNKNOWN, as the kernel does for links without a carrier notion
        var json = NodeTestData.Read("bridge-single-nic", "ip-link.json");

        // When
        var result = IpInterfaceParser.Parse(json);

        // Then
        var lo = result.Items.Single(i => i.Name == "lo");
        var bridge = result.Items.Single(i => i.Name == "cni0");
        Assert.Equal("UNKNOWN", lo.OperState);
        Assert.Equal("UNKNOWN", bridge.OperState);
        Assert.False(lo.IsDown);
        Assert.False(bridge.IsDown);
        Assert.True(lo.IsLoopback);
        Assert.Equal("cni0", result.Items.Single(i => i.Name == "veth3a9c0d21").Master);
    }

    [Fact]
    public void MarksLinksWithoutCarrierOrAdminDownAsDown()
    {
        // Given: d1 is up but its veth peer is down: NO-CARRIER, operstate DOWN
        var json = NodeTestData.Read("rules-variety", "ip-link.json");

        // When
        var links = IpInterfaceParser.Parse(json).Items;

        // Then
        var d1 = links.Single(i => i.Name == "d1");
        Assert.Contains("NO-CARRIER", d1.Flags);
        Assert.True(d1.IsDown);
        Assert.Equal("DOWN (NO-CARRIER)", d1.StateText);
        Assert.False(links.Single(i => i.Name == "d0").IsDown);
    }

    [Fact]
    public void ReadsAltNamesAndLinkKindWhenPresent()
    {
        // Given: ec2-net-utils altnames and ip -d's linkinfo, in the shape iproute2 6.1 prints them
        const string json = """
            [{"ifindex":3,"ifname":"ens6","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":9001,"qdisc":"mq","operstate":"UP","linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"ether","address":"02:17:94:79:f5:ec","broadcast":"ff:ff:ff:ff:ff:ff","altnames":["enp0s6","eni-0d374c990a0869a25","device-number-1"]},
             {"ifindex":9,"link":"d0p","ifname":"d0","flags":["BROADCAST","MULTICAST","M-DOWN"],"mtu":1500,"qdisc":"noop","operstate":"DOWN","linkinfo":{"info_kind":"veth"}}]
            """;

        // When
        var links = IpInterfaceParser.Parse(json).Items;

        // Then
        Assert.Equal(["enp0s6", "eni-0d374c990a0869a25", "device-number-1"], links[0].AltNames);
        Assert.True(links[0].HasName("device-number-1"));
        Assert.Equal("veth", links[1].Kind);
        Assert.True(links[1].IsDown);
        Assert.Equal("DOWN (admin)", links[1].StateText);
    }

    [Fact]
    public void MergesAddressesWithLinkDetailsByName()
    {
        // Given
        var addr = IpInterfaceParser.Parse("""[{"ifindex":2,"ifname":"eth0","flags":["UP"],"operstate":"UP","addr_info":[{"family":"inet","local":"198.18.0.10","prefixlen":24,"scope":"global"}]}]""").Items;
        var link = IpInterfaceParser.Parse("""[{"ifindex":2,"ifname":"eth0","flags":["UP"],"operstate":"UP","master":"br0","linkinfo":{"info_kind":"veth"}},{"ifindex":3,"ifname":"eth1","flags":["UP"],"operstate":"UP"}]""").Items;

        // When
        var merged = IpInterfaceParser.Merge(addr, link);

        // Then
        Assert.Equal(["eth0", "eth1"], merged.Select(i => i.Name));
        Assert.Equal("veth", merged[0].Kind);
        Assert.Equal("br0", merged[0].Master);
        Assert.Single(merged[0].Addresses);
    }

    [Theory]
    [InlineData("", "empty: no ip -j output")]
    [InlineData("[", "not ip -j JSON (line 1, byte 2)")] // `ip -j route show table 7` for a table that never existed
    [InlineData("{\"ifname\":\"eth0\"}", "not ip -j JSON: expected an array, found object")]
    [InlineData("Device \"eth1\" does not exist.", "not ip -j JSON (line 1, byte 1)")]
    public void SaysWhyTextIsNotIpJson(string text, string expectedStart)
    {
        // Given / When
        var result = IpInterfaceParser.Parse(text);

        // Then
        Assert.False(result.Readable);
        Assert.Empty(result.Items);
        Assert.StartsWith(expectedStart, Assert.Single(result.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public void SaysWhyBinaryGarbageIsNotIpJsonInOneShortPrintableLine()
    {
        // Given: a garbled file whose first byte starts a JSON literal, so the parser quotes the whole token back
        var bytes = new byte[3000];
        new Random(7).NextBytes(bytes);
        bytes[0] = (byte)'n';
        for (var i = 1; i < bytes.Length; i++)
        {
            bytes[i] = bytes[i] is (byte)' ' or (byte)',' or (byte)']' or (byte)'}' ? (byte)'x' : bytes[i];
        }

        var text = System.Text.Encoding.UTF8.GetString(bytes);

        // When
        var result = IpInterfaceParser.Parse(text);

        // Then
        var problem = Assert.Single(result.Problems);
        Assert.StartsWith("not ip -j JSON (line 1, byte", problem, StringComparison.Ordinal);
        Assert.True(problem.Length < 200, problem);
        Assert.All(problem.TrimEnd('…'), c => Assert.InRange(c, ' ', '~'));
    }

    [Fact]
    public void KeepsGoodEntriesWhenOneIsBroken()
    {
        // Given: an entry without a name, and an address that is not one
        const string json = """
            [{"ifindex":1,"flags":["UP"]},
             {"ifindex":2,"ifname":"eth0","flags":["UP"],"addr_info":[{"family":"inet","local":"198.18.0.300","prefixlen":24},{"family":"inet","local":"198.18.0.10","prefixlen":24,"scope":"global"}]}]
            """;

        // When
        var result = IpInterfaceParser.Parse(json);

        // Then
        Assert.True(result.Readable);
        var eth0 = Assert.Single(result.Items);
        Assert.Equal(IPAddress.Parse("198.18.0.10"), Assert.Single(eth0.Addresses).Local);
        Assert.Equal(["entry 1: no ifname", "eth0: address '198.18.0.300' is not an address"], result.Problems);
    }
}
