using System.Net;
using KubeTriage.Capture.Primitives;
using KubeTriage.Findings;
using KubeTriage.Node.Live;
using KubeTriage.Reports;
using KubeTriage.Wire;

namespace KubeTriage.Tests.Node.Live;

public class CapturedEgressDiagnosisTests
{
    private static readonly NetAddress Pod = NetAddress.Parse("198.18.1.20");

    [Fact]
    public void AddsTheWrongEgressAndLinksTheConnectsThatGotNoReplyThere()
    {
        // Given: SYNs to the database seen on eth0 only, and the wire room's no-reply finding for them
        var node = NodeTestData.Evidence("lab-route");
        var capture = new CaptureEvidence
        {
            Pod = new PodAddresses([Pod], false, "given"),
            Interfaces =
            [
                new InterfaceEvidence { Name = "eth0", Ids = [0], Packets = 6, PodPackets = 6, FromPodPackets = 6 },
                new InterfaceEvidence { Name = "eth1", Ids = [1] },
            ],
            TcpGroups =
            [
                new TcpConnectGroup { Client = Pod, Server = new WireEndpoint(NetAddress.Parse("198.18.2.20"), 3306), NoReply = 1, FailedSynAttempts = 3, FailedInterfaceIds = [0] },
            ],
        };
        var report = new Report
        {
            Command = "capture --live",
            Findings = [new Finding(FindingIds.TcpConnectNoReply, Severity.Critical, "SYNs got no answer", "198.18.2.20:3306", ["3 SYNs"], "look")],
        };

        // When
        CapturedEgressDiagnosis.AddTo(report, CapturedEgressDiagnosis.Evidence(node, capture, [IPAddress.Parse("198.18.1.20")]), capture);

        // Then
        Assert.Equal(
            ["node.pod-egress-wrong-interface pod 198.18.1.20 via eth0 <- ", "tcp.connect-no-reply 198.18.2.20:3306 <- node.pod-egress-wrong-interface"],
            report.Findings.Select(f => $"{f.Id} {f.Subject} <- {string.Join(",", f.CausedBy)}"));
    }

    [Fact]
    public void LeavesTheWireRoomsOwnVerdictAlone()
    {
        // Given: the capture alone already proved the wrong egress
        var node = NodeTestData.Evidence("lab-route");
        var capture = new CaptureEvidence
        {
            Pod = new PodAddresses([Pod], false, "given"),
            Interfaces = [new InterfaceEvidence { Name = "eth0", Ids = [0], FromPodPackets = 6 }],
        };
        var existing = new Finding(FindingIds.NodePodEgressWrongInterface, Severity.Critical, "wrong NIC", "pod 198.18.1.20 via eth0", [], "fix");
        var report = new Report { Findings = [existing] };

        // When
        CapturedEgressDiagnosis.AddTo(report, CapturedEgressDiagnosis.Evidence(node, capture, [IPAddress.Parse("198.18.1.20")]), capture);

        // Then
        Assert.Equal([existing], report.Findings);
    }

    [Fact]
    public void NamesCookedCaptureInterfacesOnAnyByTheNodesInterfaceIndex()
    {
        // Given: on "any", the engine names interfaces by their cooked v2 index
        var node = NodeTestData.Evidence("lab-route");
        var eth0 = node.Interfaces.Single(i => i.Name == "eth0").Index;
        var capture = new CaptureEvidence
        {
            Interfaces = [new InterfaceEvidence { Name = $"any#if{eth0}", Ids = [0], FromPodPackets = 6 }],
        };

        // When
        var evidence = CapturedEgressDiagnosis.Evidence(node, capture, [IPAddress.Parse("198.18.1.20")]);

        // Then
        var captured = Assert.Single(evidence.Interfaces);
        Assert.Equal(("eth0", $"any#if{eth0}"), (captured.Name, captured.CaptureName));
    }
}
