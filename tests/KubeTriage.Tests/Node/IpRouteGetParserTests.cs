using System.Net;
using KubeTriage.Node;

namespace KubeTriage.Tests.Node;

public class IpRouteGetParserTests
{
    private static readonly IPAddress Probe = IPAddress.Parse("192.0.2.1");
    private static readonly IPAddress Pod = IPAddress.Parse("198.18.1.20");

    [Fact]
    public void ReadsThePolicyTableAndDeviceOfAHealthyPodLookup()
    {
        // Given
        var json = NodeTestData.Read("eni-healthy", "route-get-198.18.1.20.json");

        // When
        var lookup = IpRouteGetParser.Parse(json, Probe, Pod, "eni5d0e6b3c9a1");

        // Then
        Assert.Equal("eth1", lookup.Dev);
        Assert.Equal("2", lookup.Table);
        Assert.Equal(IPAddress.Parse("198.18.1.1"), lookup.Gateway);
        Assert.Equal("eni5d0e6b3c9a1", lookup.Iif);
        Assert.Equal(RouteLookup.Kernel, lookup.Origin);
        Assert.True(lookup.Leaves);
        Assert.Equal("dev eth1 via 198.18.1.1 table 2", lookup.ResultText);
        Assert.Equal("ip route get 192.0.2.1 from 198.18.1.20 iif eni5d0e6b3c9a1", lookup.Command);
    }

    [Fact]
    public void ReadsAMissingTableKeyAsMain()
    {
        // Given: table 2 emptied, the lookup falls through to main
        var json = NodeTestData.Read("eni-route", "route-get-198.18.1.20.json");

        // When
        var lookup = IpRouteGetParser.Parse(json, Probe, Pod, "eni5d0e6b3c9a1");

        // Then
        Assert.Equal("eth0", lookup.Dev);
        Assert.Equal("main", lookup.Table);
    }

    [Fact]
    public void KeepsTheKernelsRefusalAsTheError()
    {
        // Given / When
        var lookup = IpRouteGetParser.Failed(Probe, Pod, "eni5d0e6b3c9a1", "RTNETLINK answers: Network is unreachable\n");

        // Then
        Assert.False(lookup.Leaves);
        Assert.Equal("Network is unreachable", lookup.Error);
        Assert.Equal("error: Network is unreachable", lookup.ResultText);
    }

    [Fact]
    public void TurnsUnreadableOutputIntoAnError()
    {
        // Given / When
        var lookup = IpRouteGetParser.Parse("[]", Probe, Pod, null);

        // Then
        Assert.Equal("ip route get printed no route", lookup.Error);
    }
}
