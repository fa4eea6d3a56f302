using System.Globalization;
using System.Net;
using KubeTriage.Findings;
using KubeTriage.Node.Analyzers;
using KubeTriage.Reports;
using KubeTriage.Wire;

namespace KubeTriage.Node.Live;

/// <summary>
/// Adds the live capture's node view to a capture report: packets from the pod seen on a NIC whose subnet does
/// not hold the pod (<see cref="CapturedPodEgressAnalyzer"/>), and links the connects that got no reply on that
/// NIC to it. When the capture alone already proved the wrong egress (the wire room's judge), that finding stands.
/// </summary>
public static class CapturedEgressDiagnosis
{
    public static CapturedEgressEvidence Evidence(NodeEvidence node, CaptureEvidence capture, IReadOnlyList<IPAddress> podIps)
    {
        var interfaces = capture.Interfaces
            .Select(i => new CapturedInterface(NodeName(node, i.Name), i.Name, i.Packets, i.FromPodPackets, i.ToPodPackets))
            .ToList();
        return new CapturedEgressEvidence(node, podIps, interfaces);
    }

    public static void AddTo(Report report, CapturedEgressEvidence evidence, CaptureEvidence capture)
    {
        var findings = report.Findings.ToList();
        if (findings.Any(f => f.Id == FindingIds.NodePodEgressWrongInterface))
        {
            return;
        }

        var problems = new List<string>();
        var added = AnalyzerRunner.Run([new CapturedPodEgressAnalyzer()], evidence, problems);
        report.Problems.AddRange(problems);
        if (added.Count == 0)
        {
            return;
        }

        var wrong = CapturedPodEgressAnalyzer.Judge(evidence).Select(w => w.Captured.CaptureName).ToHashSet(StringComparer.Ordinal);
        var lost = capture.TcpGroups
            .Where(g => g.NoReply > 0 && capture.IsPod(g.Client) && capture.InterfaceNames(g.FailedInterfaceIds).Any(wrong.Contains))
            .Select(g => WireText.Endpoint(g.Server.Address, g.Server.Port))
            .ToHashSet(StringComparer.Ordinal);
        findings = findings
            .Select(f => f.Id == FindingIds.TcpConnectNoReply && lost.Any(e => f.Subject == e || f.Subject.StartsWith(e + " ", StringComparison.Ordinal))
                && !f.CausedBy.Contains(FindingIds.NodePodEgressWrongInterface)
                    ? f with { CausedBy = [.. f.CausedBy, FindingIds.NodePodEgressWrongInterface] }
                    : f)
            .ToList();
        findings.AddRange(added);
        report.Findings = AnalyzerRunner.Sort(CaptureDiagnosis.KeepRaisedCauses(findings));
    }

    /// <summary>"eth0" stays; "any#if3" (cooked v2 on any) becomes the node's interface with index 3.</summary>
    private static string NodeName(NodeEvidence node, string captureName)
    {
        var at = captureName.LastIndexOf("#if", StringComparison.Ordinal);
        if (at > 0 && int.TryParse(captureName.AsSpan(at + 3), NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            && node.Interfaces.FirstOrDefault(i => i.Index == index) is { } link)
        {
            return link.Name;
        }

        return captureName;
    }
}
