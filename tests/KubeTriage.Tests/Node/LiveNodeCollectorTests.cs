using System.Net;
using KubeTriage.Node;

namespace KubeTriage.Tests.Node;

public class LiveNodeCollectorTests
{
    [Fact]
    public async Task ReadsIpOutputAndPutsTheKernelsLookupsInPlaceOfSimulatedOnes()
    {
        // Given: ip answers with what it printed on the recorded node where table 2 was emptied
        var ip = new RecordedIp("eni-route");
        var collector = new LiveNodeCollector(ip, new LiveNodeOptions { Netns = "recorded", NodeName = "node-b" });

        // When
        var evidence = await collector.CollectAsync(CancellationToken.None);

        // Then
        Assert.Equal(NetnsState.Named, evidence.Namespace.State);
        Assert.False(evidence.PciChecked);
        Assert.True(evidence.InterfacesKnown && evidence.RulesKnown && evidence.RoutesKnown);
        Assert.Equal(2, evidence.Lookups.Count);
        Assert.All(evidence.Lookups, l => Assert.Equal(RouteLookup.Kernel, l.Origin));
        Assert.All(evidence.Lookups, l => Assert.Equal("the simulator over the collected rules and routes agrees", l.CrossCheck));
        var pod = evidence.Lookups.Single(l => l.Source.Equals(IPAddress.Parse("198.18.1.20")));
        Assert.Equal("eth0", pod.Dev);
        Assert.Contains(["-j", "route", "get", "192.0.2.1", "from", "198.18.1.20", "iif", "eni5d0e6b3c9a1"], ip.Calls);
        Assert.Contains(evidence.Problems, p => p.StartsWith("network namespace recorded inspected with ip -n recorded", StringComparison.Ordinal));
    }

    [Fact]
    public async Task KeepsGoingWhenIpFailsForOnePart()
    {
        // Given: `ip rule` fails, the rest answers
        var ip = new RecordedIp("eni-healthy") { Failing = "rule" };
        var collector = new LiveNodeCollector(ip, new LiveNodeOptions { Netns = "recorded" });

        // When
        var evidence = await collector.CollectAsync(CancellationToken.None);

        // Then
        Assert.False(evidence.RulesKnown);
        Assert.True(evidence.RoutesKnown);
        Assert.Contains("ip -j rule show: failed in network namespace recorded: RTNETLINK answers: Operation not permitted", evidence.Problems);
    }

    [Fact]
    public async Task NotesWhereTheSimulatorDisagreesWithTheKernel()
    {
        // Given: the kernel's answer from the healthy node, the rules and routes of the broken one
        var ip = new RecordedIp("eni-route") { RouteGetFrom = "eni-healthy" };
        var collector = new LiveNodeCollector(ip, new LiveNodeOptions { Netns = "recorded" });

        // When
        var evidence = await collector.CollectAsync(CancellationToken.None);

        // Then
        var pod = evidence.Lookups.Single(l => l.Source.Equals(IPAddress.Parse("198.18.1.20")));
        Assert.Equal("eth1", pod.Dev);
        Assert.Equal("the simulator over the collected rules and routes says dev eth0 via 198.18.0.1 table main", pod.CrossCheck);
        Assert.Contains(
            "ip route get 192.0.2.1 from 198.18.1.20 iif eni5d0e6b3c9a1: kernel says dev eth1 via 198.18.1.1 table 2, simulator says dev eth0 via 198.18.0.1 table main (kernel answer used)",
            evidence.Problems);
    }

    /// <summary>Answers ip commands with the recorded output of a scenario dir.</summary>
    private sealed class RecordedIp(string scenario) : IIpRunner
    {
        public List<string[]> Calls { get; } = [];

        public string? Failing { get; init; }

        public string? RouteGetFrom { get; init; }

        public string Where => "network namespace recorded";

        public Task<IpResult> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
        {
            Calls.Add([.. arguments]);
            var args = arguments.Where(a => a is not ("-j" or "-d")).ToList();
            if (args[0] == Failing)
            {
                return Task.FromResult(new IpResult(2, string.Empty, "RTNETLINK answers: Operation not permitted\n"));
            }

            var file = args[0] switch
            {
                "addr" => "ip-addr.json",
                "link" => "ip-link.json",
                "rule" => "ip-rule.json",
                "route" when args[1] == "get" => null,
                "route" => "ip-route.json",
                _ => throw new InvalidOperationException($"unexpected ip {string.Join(' ', arguments)}"),
            };
            var text = file is null
                ? NodeTestData.Read(RouteGetFrom ?? scenario, $"route-get-{args[4]}.json")
                : NodeTestData.Read(scenario, file);
            return Task.FromResult(new IpResult(0, text, string.Empty));
        }
    }
}
