using KubeTriage.Findings;
using KubeTriage.Node;
using KubeTriage.Node.Analyzers;

namespace KubeTriage.Tests.Node.Analyzers;

public class NicMissingAnalyzerTests
{
    [Theory]
    [InlineData("healthy ENI node", "eni-healthy", null)]
    [InlineData("table 2 emptied, NIC present", "eni-route", null)]
    [InlineData("eth1 gone from the OS", "eni-nic", null, "eth1")]
    [InlineData("single NIC, bridge CNI", "bridge-single-nic", null)]
    [InlineData("single NIC, host routes to veths", "calico-single-nic", null)]
    [InlineData("a link route on a down link in an unrelated table", "rules-variety", null)]
    [InlineData("virtio NIC healthy one level deeper", "eni-healthy", "sysfs-virtio-healthy")]
    [InlineData("ENA NICs healthy", "eni-healthy", "sysfs-ena-healthy")]
    [InlineData("virtio function without netdev", "eni-healthy", "sysfs-virtio-missing", "PCI 0000:00:03.0")]
    [InlineData("ENA function without driver or netdev", "eni-healthy", "sysfs-ena-missing", "PCI 0000:00:06.0")]
    [InlineData("ENA probe failed", "eni-healthy", "sysfs-ena-probe-failed", "PCI 0000:00:06.0")]
    [InlineData("the incident: both", "eni-nic", "sysfs-ena-missing", "PCI 0000:00:06.0", "eth1")]
    public void FindsMissingNics(string name, string scenario, string? sysfs, params string[] expected)
    {
        // Given
        var evidence = NodeTestData.Evidence(scenario, sysfs);

        // When
        var findings = new NicMissingAnalyzer().Analyze(evidence).ToList();

        // Then
        Assert.True(expected.SequenceEqual(findings.Select(f => f.Subject).Order(StringComparer.Ordinal)), $"{name}: {string.Join(", ", findings.Select(f => f.Subject))}");
        Assert.All(findings, f => Assert.Equal(FindingIds.NodeNicMissing, f.Id));
        Assert.All(findings, f => Assert.Equal(scenario, f.Node));
    }

    [Fact]
    public void NamesTheFunctionItsIdsAndTheMissingDriverAndHowToRescan()
    {
        // Given
        var evidence = NodeTestData.Evidence("eni-nic", "sysfs-ena-missing");

        // When
        var finding = new NicMissingAnalyzer().Analyze(evidence).Single(f => f.Subject.StartsWith("PCI", StringComparison.Ordinal));

        // Then
        Assert.Equal(Severity.Critical, finding.Severity);
        Assert.Equal("PCI 0000:00:06.0: class 0x020000, vendor:device 1d0f:ec20 (Amazon ENA (VF)), driver none (no driver bound)", finding.Evidence[0]);
        Assert.StartsWith("no netdev under /sys/bus/pci/devices/0000:00:06.0/net/ nor /sys/bus/pci/devices/0000:00:06.0/virtio*/net/", finding.Evidence[1], StringComparison.Ordinal);
        Assert.Equal("modprobe ena; echo 1 > /sys/bus/pci/rescan; then confirm: ip link show; ls /sys/bus/pci/devices/0000:00:06.0/net", finding.Remediation);
    }

    [Fact]
    public void PointsAVirtioRemediationAtTheVirtioNetDirectory()
    {
        // Given
        var evidence = NodeTestData.Evidence("eni-healthy", "sysfs-virtio-missing");

        // When
        var finding = Assert.Single(new NicMissingAnalyzer().Analyze(evidence));

        // Then
        Assert.Equal("echo 1 > /sys/bus/pci/rescan; then confirm: ip link show; ls /sys/bus/pci/devices/0000:00:03.0/virtio*/net", finding.Remediation);
    }

    [Fact]
    public void ExplainsWhichRuleNeedsTheAbsentInterface()
    {
        // Given
        var evidence = NodeTestData.Evidence("eni-nic", "sysfs-ena-missing");

        // When
        var finding = new NicMissingAnalyzer().Analyze(evidence).Single(f => f.Subject == "eth1");

        // Then
        Assert.Equal("eth1 is needed by the node's routing but is absent from the OS", finding.Title);
        Assert.Equal(
            [
                "rule '1536: from 198.18.1.20 lookup 2' sends pod 198.18.1.20's traffic to table 2, which belongs to eth1 (VPC CNI numbering: table 2 = device number 1)",
                "ip link show eth1: no such interface (the node has lo, eth0, eni5d0e6b3c9a1, eni7c1d2e8f04b)",
                "PCI 0000:00:06.0 (1d0f:ec20) has no netdev: it may be this NIC",
            ],
            finding.Evidence);
        Assert.Equal("echo 1 > /sys/bus/pci/rescan; then confirm: ip link show eth1; ip route show table 2", finding.Remediation);
    }

    [Fact]
    public void MapsTablesToNicsByDeviceNumberAltNames()
    {
        // Given: AL2023 names (ens5, ens6) with ec2-net-utils altnames; ens6 (device-number-1) is gone
        var evidence = Evidence(
            """
            [{"ifindex":1,"ifname":"lo","flags":["LOOPBACK","UP","LOWER_UP"],"operstate":"UNKNOWN","addr_info":[{"family":"inet","local":"127.0.0.1","prefixlen":8,"scope":"host"}]},
             {"ifindex":2,"ifname":"ens5","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"operstate":"UP","altnames":["enp0s5","device-number-0"],"addr_info":[{"family":"inet","local":"198.18.4.12","prefixlen":22,"scope":"global"}]},
             {"ifindex":4,"ifname":"eni31b43252b24","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"operstate":"UP","addr_info":[]}]
            """,
            """[{"priority":0,"src":"all","table":"local"},{"priority":1536,"src":"198.18.6.9","table":"2"},{"priority":32766,"src":"all","table":"main"}]""",
            """[{"dst":"default","gateway":"198.18.4.1","dev":"ens5","protocol":"dhcp","prefsrc":"198.18.4.12","metric":512,"flags":[]},{"dst":"198.18.4.1","dev":"ens5","protocol":"dhcp","scope":"link","prefsrc":"198.18.4.12","metric":512,"flags":[]},{"dst":"198.18.6.9","dev":"eni31b43252b24","scope":"link","flags":[]}]""");

        // When
        var finding = Assert.Single(new NicMissingAnalyzer().Analyze(evidence));

        // Then: the DHCP gateway host route on ens5 is not a pod; the pod's table names device-number-1
        Assert.Equal(["198.18.6.9"], evidence.Pods.Select(p => p.Ip.ToString()));
        Assert.Equal("device-number-1", finding.Subject);
        Assert.Equal("echo 1 > /sys/bus/pci/rescan; then confirm: ip link show; ip route show table 2", finding.Remediation);
    }

    [Fact]
    public void ReportsANeededInterfaceThatIsDown()
    {
        // Given: eth1 administratively down, the rest as on the healthy node
        var healthy = NodeTestData.Evidence("eni-healthy");
        var evidence = healthy with
        {
            Interfaces = healthy.Interfaces.Select(i => i.Name == "eth1" ? i with { Flags = ["BROADCAST", "MULTICAST"], OperState = "DOWN" } : i).ToList(),
        };

        // When
        var finding = Assert.Single(new NicMissingAnalyzer().Analyze(evidence));

        // Then
        Assert.Equal("eth1 is needed by the node's routing but is down", finding.Title);
        Assert.Contains("route 'default via 198.18.1.1 dev eth1' (table 2) needs eth1", finding.Evidence);
        Assert.Contains("ip link show eth1: state DOWN (admin), flags BROADCAST,MULTICAST", finding.Evidence);
        Assert.Equal("ip link set eth1 up; then confirm: ip link show eth1; ip route show table 2", finding.Remediation);
    }

    [Fact]
    public void ConcludesNothingFromInterfacesItCouldNotRead()
    {
        // Given: the eth1-gone node without its addr and link files
        var evidence = NodeTestData.Evidence("eni-nic") with { InterfacesKnown = false, Interfaces = [] };

        // When
        var findings = new NicMissingAnalyzer().Analyze(evidence);

        // Then
        Assert.Empty(findings);
    }

    internal static NodeEvidence Evidence(string addr, string rules, string routes) =>
        NodeEvidenceBuilder.Build(new NodeInputs
        {
            Node = "inline",
            Source = "test",
            Namespace = new NetnsStatus(NetnsState.Offline, "test"),
            Addr = new NodeSourceText("ip-addr.json", addr),
            Rule = new NodeSourceText("ip-rule.json", rules),
            Route = new NodeSourceText("ip-route.json", routes),
        });
}
