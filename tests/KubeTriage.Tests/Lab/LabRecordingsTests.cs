using System.Buffers.Binary;
using System.Text.Json;
using System.Text.RegularExpressions;
using KubeTriage.Lab;
using KubeTriage.Names;

namespace KubeTriage.Tests.Lab;

/// <summary>The committed lab recordings (tests/lab/record.sh) stay complete, well-formed and small.</summary>
public sealed partial class LabRecordingsTests
{
    private const uint PcapMagic = 0xa1b2c3d4;
    private const uint LinkTypeEthernet = 1;
    private const uint LinkTypeLinuxSll2 = 276;
    private static readonly string _seed = Path.Combine(TestPaths.RepoRoot, "samples", "seed-incident");

    public static TheoryData<string> Cases => ["healthy", "nic", "route", "cluster-dns", "slow-db", "wrong-dns", "incident"];

    public static TheoryData<string> NodeStates => ["lab-healthy", "lab-nic", "lab-route"];

    [Theory]
    [MemberData(nameof(Cases))]
    public void EveryCaseHasPcapsWithTheirInterfacesLinkTypeAndAReadme(string name)
    {
        // Given one recorded case
        var dir = TestPaths.TestData("pcap", "lab", name);

        // When its files are read
        var pcaps = Directory.GetFiles(dir, "*.pcap").ToDictionary(f => Path.GetFileNameWithoutExtension(f), ReadHeader);

        // Then any is cooked v2, the NICs and the veth Ethernet, each with packets where the fault lets traffic flow
        Assert.True(File.Exists(Path.Combine(dir, "README.md")));
        Assert.Equal((PcapMagic, LinkTypeLinuxSll2), (pcaps["any"].Magic, pcaps["any"].LinkType));
        Assert.All(pcaps.Where(p => p.Key != "any"), p => Assert.Equal((PcapMagic, LinkTypeEthernet), (p.Value.Magic, p.Value.LinkType)));
        Assert.True(pcaps["any"].Length > 24, "any.pcap has packets");
        Assert.True(pcaps[LabAddresses.PodVeth].Length > 24, "the veth capture has packets");
        Assert.Equal(name != "nic", pcaps.ContainsKey("eth1"));
        Assert.All(pcaps.Values, p => Assert.True(p.Length < 600_000, $"{p.Length} bytes"));
    }

    [Theory]
    [MemberData(nameof(NodeStates))]
    public void NodeSnapshotsHoldTheBundleFilesAsJson(string state)
    {
        // Given one recorded node state
        var dir = TestPaths.TestData("node", state);

        // When its ip -j outputs are parsed
        var links = Names(JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "ip-link.json"))), "ifname");
        var route = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "route-get-198.18.2.20.json"))).RootElement[0];
        foreach (var file in new[] { "ip-addr.json", "ip-rule.json", "ip-route.json" })
        {
            Assert.Equal(JsonValueKind.Array, JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, file))).RootElement.ValueKind);
        }

        // Then eth1 is there unless the NIC fault took it, and pod egress follows table 2 only when healthy
        Assert.Equal(state != "lab-nic", links.Contains("eth1"));
        Assert.Equal(state == "lab-healthy" ? "eth1" : "eth0", route.GetProperty("dev").GetString());
        Assert.Contains("nameserver 198.18.2.11", File.ReadAllText(Path.Combine(dir, "resolv.conf")), StringComparison.Ordinal);
    }

    [Fact]
    public void SeedIncidentReadmeStartsWithACaptureCommandOverFilesThatExist()
    {
        // Given the sample's README
        var readme = File.ReadAllText(Path.Combine(_seed, "README.md"));

        // When its first command is read
        var command = FirstCommand().Match(readme);

        // Then it runs capture over files of the sample that exist
        Assert.True(command.Success, "a ```bash block with a command");
        var words = command.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["./kubetriage", "capture"], words[..2]);
        var paths = words.Where(w => w.StartsWith("samples/", StringComparison.Ordinal)).ToArray();
        Assert.Contains(paths, p => p.EndsWith("/any.pcap", StringComparison.Ordinal));
        Assert.All(paths, p => Assert.True(File.Exists(Path.Combine(TestPaths.RepoRoot, p)), p));
    }

    [Fact]
    public void SeedIncidentIsABundleWithCapturesNodeAndExpectations()
    {
        // Given the sample bundle
        // When its parts are listed and its expectations loaded
        var captures = Directory.GetFiles(Path.Combine(_seed, "captures")).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToArray();
        var node = Directory.GetDirectories(Path.Combine(_seed, "nodes")).Single();
        var expectations = ExpectationsLoader.LoadFile(Path.Combine(_seed, "expect.yaml"));

        // Then it has the bundle layout and stays small
        Assert.Equal(["any.pcap", LabAddresses.PodVeth + ".pcap", "eth0.pcap", "eth1.pcap"], captures);
        Assert.All(
            ["ip-addr.json", "ip-link.json", "ip-rule.json", "ip-route.json", "resolv.conf"],
            f => Assert.True(File.Exists(Path.Combine(node, f)), f));
        Assert.NotNull(expectations.ForName(LabAddresses.ObjectStoreName));
        var bytes = Directory.GetFiles(Path.Combine(TestPaths.RepoRoot, "samples"), "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        Assert.True(bytes < 2_000_000, $"samples/ holds {bytes} bytes");
    }

    private static (uint Magic, uint LinkType, long Length) ReadHeader(string path)
    {
        var bytes = File.ReadAllBytes(path);
        return (BinaryPrimitives.ReadUInt32LittleEndian(bytes), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(20)), bytes.Length);
    }

    private static HashSet<string> Names(JsonDocument doc, string property) =>
        [.. doc.RootElement.EnumerateArray().Select(e => e.GetProperty(property).GetString()!)];

    [GeneratedRegex(@"```bash\n([^\n]+)\n")]
    private static partial Regex FirstCommand();
}
