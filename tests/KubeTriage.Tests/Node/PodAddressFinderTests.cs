using System.Net;
using KubeTriage.Node;

namespace KubeTriage.Tests.Node;

public class PodAddressFinderTests
{
    [Theory]
    [InlineData("eni-healthy", "198.18.0.30=eni7c1d2e8f04b/host route", "198.18.1.20=eni5d0e6b3c9a1/host route")]
    [InlineData("eni-route", "198.18.0.30=eni7c1d2e8f04b/host route", "198.18.1.20=eni5d0e6b3c9a1/host route")]
    [InlineData("eni-nic", "198.18.0.30=eni7c1d2e8f04b/host route", "198.18.1.20=eni5d0e6b3c9a1/host route")] // 198.18.1.10's 32765 rule is the NIC's, not a pod's
    [InlineData("calico-single-nic", "198.18.128.5=cali5b2e1f0a9c3/host route")]
    [InlineData("bridge-single-nic")] // bridge CNIs leave no per-pod trace
    public void FindsPodsFromHostRoutesToVethsAndPerPodRules(string scenario, params string[] expected)
    {
        // Given
        var evidence = NodeTestData.Evidence(scenario);

        // When
        var pods = evidence.Pods.Select(p => $"{p.Ip}={p.HostInterface}/{p.Source}");

        // Then
        Assert.Equal(expected, pods);
    }

    [Fact]
    public void FindsAPodFromItsRuleWhenItsHostRouteIsGone()
    {
        // Given
        var interfaces = IpInterfaceParser.Parse(NodeTestData.Read("eni-healthy", "ip-addr.json")).Items;
        var rules = IpRuleParser.Parse(NodeTestData.Read("eni-healthy", "ip-rule.json")).Items;
        var routes = IpRouteParser.Parse(NodeTestData.Read("eni-healthy", "ip-route.json")).Items
            .Where(r => r.Dev != "eni5d0e6b3c9a1").ToList();

        // When
        var pods = PodAddressFinder.Find(interfaces, rules, routes, []);

        // Then
        var pod = Assert.Single(pods, p => p.Ip.Equals(IPAddress.Parse("198.18.1.20")));
        Assert.Equal("rule", pod.Source);
        Assert.Null(pod.HostInterface); // 198.18.1.20 is now reached through eth1's subnet: no host side
    }

    [Fact]
    public void TakesGivenPodAddressesAndFindsTheBridgeThatHoldsThem()
    {
        // Given / When
        var evidence = NodeTestData.Evidence("bridge-single-nic", null, "198.18.64.2");

        // Then
        var pod = Assert.Single(evidence.Pods);
        Assert.Equal("cni0", pod.HostInterface);
        Assert.Equal("--pod-ip", pod.Source);
    }

    [Fact]
    public void GivesNoHostSideToAnAddressOnANicSubnetOrBehindAGateway()
    {
        // Given: one address on eth0's subnet (a pod of another node), one far away
        var evidence = NodeTestData.Evidence("eni-healthy", null, "198.18.0.77", "198.18.200.1");

        // Then
        Assert.All(evidence.Pods, p => Assert.Null(p.HostInterface));
        Assert.Contains("pod 198.18.0.77: no host route or bridge for it on this node; its egress is looked up as if it arrived from an unknown interface", evidence.Problems);
    }
}
