using System.Net;
using KubeTriage.Findings;
using KubeTriage.Node;

namespace KubeTriage.Tests.Node;

/// <summary>The node checks on ip -j output recorded in the lab's node namespace in each state (tests/testdata/node/lab-*).</summary>
public class LabRecordedFixtureTests
{
    private static readonly IPAddress Pod = IPAddress.Parse("198.18.1.20");
    private static readonly IPAddress Db = IPAddress.Parse("198.18.2.20");

    [Theory]
    [InlineData("lab-healthy", 4)]
    [InlineData("lab-nic", 3)]
    [InlineData("lab-route", 4)]
    public void ParsesEveryRecordedFileWithoutProblems(string state, int interfaces)
    {
        // Given / When
        var evidence = NodeTestData.Evidence(state);

        // Then
        Assert.Equal(interfaces, evidence.Interfaces.Count);
        Assert.Equal(5, evidence.Rules.Count);
        Assert.True(evidence.InterfacesKnown && evidence.RulesKnown && evidence.RoutesKnown);
        Assert.Equal(["sysfs/: not collected: PCI checks skipped"], evidence.Problems);
        Assert.Equal(["198.18.2.11", "198.18.2.12"], evidence.ResolvConf!.Nameservers);
        var pod = Assert.Single(evidence.Pods);
        Assert.Equal(Pod, pod.Ip);
        Assert.Equal("enie3be3ad2cb5", pod.HostInterface);
    }

    [Theory]
    [InlineData("lab-healthy", "eth1", "2")]
    [InlineData("lab-nic", "eth0", "main")]
    [InlineData("lab-route", "eth0", "main")]
    public void SimulatesWhatTheKernelAnsweredInTheLab(string state, string dev, string table)
    {
        // Given
        var rules = IpRuleParser.Parse(NodeTestData.Read(state, "ip-rule.json")).Items;
        var routes = IpRouteParser.Parse(NodeTestData.Read(state, "ip-route.json")).Items;
        var kernel = IpRouteGetParser.Parse(NodeTestData.Read(state, "route-get-198.18.2.20.json"), Db, Pod, "enie3be3ad2cb5");

        // When
        var simulated = PolicyRoutingSimulator.Lookup(rules, routes, new RouteQuery(Db, Pod, "enie3be3ad2cb5"));

        // Then
        Assert.Equal((dev, table), (kernel.Dev, kernel.Table));
        Assert.Equal((kernel.Dev, kernel.Table, kernel.Gateway), (simulated.Dev, simulated.Table, simulated.Gateway));
    }

    [Theory]
    [InlineData("lab-healthy")]
    [InlineData("lab-nic", "node.nic-missing eth1", "node.pod-egress-wrong-interface pod 198.18.1.20<-node.policy-route-missing", "node.policy-route-missing route table 2<-node.nic-missing")]
    [InlineData("lab-route", "node.pod-egress-wrong-interface pod 198.18.1.20<-node.policy-route-missing", "node.policy-route-missing route table 2")]
    public void FindsEachLabStatesNodeFaults(string state, params string[] expected)
    {
        // Given: the kernel's recorded answer stands in for the live lookup
        var evidence = NodeTestData.Evidence(state, null, "198.18.1.20");
        var kernel = IpRouteGetParser.Parse(NodeTestData.Read(state, "route-get-198.18.2.20.json"), Db, Pod, "enie3be3ad2cb5");
        evidence = NodeEvidenceBuilder.WithKernelLookups(
            evidence with { Lookups = [PolicyRoutingSimulator.Lookup(evidence.Rules, evidence.Routes, new RouteQuery(Db, Pod, "enie3be3ad2cb5"))] },
            [kernel]);

        // When
        var findings = NodeDiagnosis.Analyze([evidence], new List<string>());

        // Then
        Assert.Equal(
            expected,
            findings.Select(f => $"{f.Id} {f.Subject}" + (f.CausedBy.Count > 0 ? "<-" + string.Join("+", f.CausedBy) : string.Empty)));
        Assert.All(findings, f => Assert.Equal(Severity.Critical, f.Severity));
        Assert.All(evidence.Lookups, l => Assert.Equal("the simulator over the collected rules and routes agrees", l.CrossCheck));
    }
}
