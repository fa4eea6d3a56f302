using KubeTriage.Capture.Packets;
using KubeTriage.Findings;
using KubeTriage.Wire.Analyzers;
using static KubeTriage.Tests.Wire.Synthetic;

namespace KubeTriage.Tests.Wire.Analyzers;

public class PodEgressWrongInterfaceAnalyzerTests
{
    private const string Pod = AnalyzerCase.Pod;

    public static TheoryData<AnalyzerCase> Cases => new()
    {
        new("one interface cannot be judged", s =>
        {
            Start(s, "eth0");
            Packets(s, 0, Pod, "198.18.2.20", 6);
        }, []),
        new("pod traffic both ways on eth1 is healthy", s =>
        {
            Start(s, "eth0", "eth1");
            Packets(s, 0, "198.18.0.10", "198.18.0.1", 3);
            Packets(s, 1, Pod, "198.18.2.20", 3);
            Packets(s, 1, "198.18.2.20", Pod, 3);
        }, []),
        new("the pod's packets leave eth0 without replies while eth1 carries the pod subnet", s =>
        {
            Start(s, "eth0", "eth1");
            Packets(s, 0, Pod, "198.18.2.20", 6);
            Packets(s, 1, "198.18.2.10", Pod, 2, protocol: IpProtocol.Icmp);
        }, ["critical pod 198.18.1.20 via eth0"]),
        new("the pod's own veth is not a wrong NIC", s =>
        {
            Start(s, "veth1a2b3c", "eth1");
            Packets(s, 0, Pod, "198.18.2.20", 6);
            Packets(s, 1, "198.18.1.10", "198.18.1.1", 2);
        }, []),
        new("an any capture names interfaces by index: the pod's link carries all its packets", s =>
        {
            Start(s, "any.pcap#if2", "any.pcap#if3", "any.pcap#if4");
            Packets(s, 0, Pod, "198.18.2.20", 6);
            Packets(s, 1, Pod, "198.18.2.10", 4);
            Packets(s, 1, "198.18.2.10", Pod, 4);
            Packets(s, 2, Pod, "198.18.2.20", 6);
            Packets(s, 2, Pod, "198.18.2.10", 4);
            Packets(s, 2, "198.18.2.10", Pod, 4);
        }, ["critical pod 198.18.1.20 via any#if2"]),
        new("an any capture named from the node's ip -j link: the pod's veth is known by its name", s =>
        {
            Start(s, "any.pcap#eth0", "any.pcap#eth1", "any.pcap#enie3be3ad2cb5", "any.pcap#lo");
            Packets(s, 0, Pod, "198.18.2.20", 6);
            Packets(s, 1, "198.18.2.10", Pod, 4);
            Packets(s, 2, Pod, "198.18.2.20", 6);
            Packets(s, 3, Pod, "198.18.2.20", 1);
        }, ["critical pod 198.18.1.20 via any#eth0"]),
        new("replies on the same NIC make it the right one", s =>
        {
            Start(s, "eth0", "eth1");
            Packets(s, 0, Pod, "198.18.2.20", 6);
            Packets(s, 0, "198.18.2.20", Pod, 6);
            Packets(s, 1, "198.18.1.10", "198.18.1.1", 2);
        }, []),
    };

    private static readonly AnalyzerCase RepliesDropped = new("a capture taken while every reply is dropped: only the node's addresses tell eth1 holds the pod subnet", s =>
    {
        Start(s, "any.pcap#eth0", "any.pcap#enie3be3ad2cb5");
        Packets(s, 0, Pod, "198.18.2.20", 6);
        Packets(s, 1, Pod, "198.18.2.20", 6);
    }, ["critical pod 198.18.1.20 via any#eth0"]) { NodeSubnets = ["eth0 198.18.0.10/24", "eth1 198.18.1.10/24"] };

    public static TheoryData<AnalyzerCase> WithNodeAddresses => new()
    {
        RepliesDropped,
        new AnalyzerCase("the pod's packets on the NIC that holds its subnet are not wrong, answered or not", s =>
        {
            Start(s, "eth1", "eth0");
            Packets(s, 0, Pod, "198.18.2.20", 6);
            Packets(s, 1, "198.18.0.10", "198.18.0.1", 2);
        }, []) { NodeSubnets = ["eth0 198.18.0.10/24", "eth1 198.18.1.10/24"] },
        new AnalyzerCase("a pod subnet on no NIC (an overlay) cannot be judged from addresses", s =>
        {
            Start(s, "eth0");
            Packets(s, 0, Pod, "198.18.2.20", 6);
        }, []) { NodeSubnets = ["eth0 198.18.0.10/24"] },
        new AnalyzerCase("two NICs in the pod's subnet: neither is wrong", s =>
        {
            Start(s, "eth0", "eth1");
            Packets(s, 0, Pod, "198.18.2.20", 6);
        }, []) { NodeSubnets = ["eth0 198.18.1.5/24", "eth1 198.18.1.10/24"] },
    };

    [Theory]
    [MemberData(nameof(WithNodeAddresses))]
    public void TheNodesAddressesTellWhichNicHoldsThePodSubnet(AnalyzerCase scenario)
    {
        // When
        var findings = AnalyzerCase.Run(new PodEgressWrongInterfaceAnalyzer(), scenario.Context());

        // Then
        Assert.Equal(scenario.Expected, AnalyzerCase.Lines(findings));
    }

    [Fact]
    public void TheEvidenceSaysTheAddressAndThatTheCaptureSawNothingThere()
    {
        // Given
        var scenario = RepliesDropped;

        // When
        var finding = Assert.Single(AnalyzerCase.Run(new PodEgressWrongInterfaceAnalyzer(), scenario.Context()));

        // Then
        Assert.Equal("The pod's packets leave through any#eth0 instead of eth1", finding.Title);
        Assert.Contains("eth1 holds 198.18.1.10/24 on the node (ip -j addr), the pod's subnet 198.18.1.0/24: the capture saw no packet of the pod on it", finding.Evidence);
        Assert.Contains("on eth1", finding.Remediation, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void JudgesFromTheCapturedInterfaces(AnalyzerCase scenario)
    {
        // When
        var findings = AnalyzerCase.Run(new PodEgressWrongInterfaceAnalyzer(), scenario.Context());

        // Then
        Assert.Equal(scenario.Expected, AnalyzerCase.Lines(findings));
        Assert.All(findings, f => Assert.Equal(FindingIds.NodePodEgressWrongInterface, f.Id));
    }
}
