using KubeTriage.Findings;

namespace KubeTriage.Wire.Analyzers;

/// <summary>
/// <c>dependency.undeclared</c> (with <c>--expect</c>): the pod talked to a peer that matches no expected
/// dependency by address, by a <c>resolvesTo</c> range, or by a name it was known by in the capture.
/// Resolvers the pod only asked DNS questions, peers that only called the pod, and multicast or broadcast
/// addresses are not dependencies; nor is the backend a declared Service address was translated to on the
/// node (DNAT), or the Service address of a declared backend.
/// </summary>
public sealed class DependencyUndeclaredAnalyzer : IAnalyzer<CaptureContext>
{
    public string Id => FindingIds.DependencyUndeclared;

    public string Title => "Peers that are not declared dependencies";

    /// <summary>
    /// A Service's backend (or the Service address of a declared backend), seen because the capture holds the
    /// connection before and after DNAT on the node, is the declared dependency under its other address.
    /// </summary>
    private static bool DeclaredThroughNat(CaptureEvidence evidence, PeerEvidence peer, Names.Expectations expectations) =>
        evidence.TranslatedPeersOf(peer.Ip)
            .Select(address => evidence.Peers.FirstOrDefault(p => p.Ip == address))
            .Any(other => other is not null && ExpectationMatch.DependencyOf(other, expectations) is not null);

    public IEnumerable<Finding> Analyze(CaptureContext context)
    {
        if (context.Expectations is not { } expectations)
        {
            yield break;
        }

        var evidence = context.Evidence;
        foreach (var peer in evidence.Peers)
        {
            if (!peer.ServesPod || peer.DnsOnly || ExpectationMatch.IsInfrastructure(peer) || ExpectationMatch.DependencyOf(peer, expectations) is not null
                || DeclaredThroughNat(evidence, peer, expectations))
            {
                continue;
            }

            var lines = new List<string>
            {
                $"{peer.Display}: ports {(peer.Ports.Count == 0 ? "-" : string.Join(", ", peer.Ports))} ({string.Join(", ", peer.Protocols)}), {peer.Packets} packets, {WireText.Bytes(peer.Bytes)}",
                $"{WireText.Count(peer.Connections, "connection")} ({peer.FailedConnections} failed), {WireText.Count(peer.Transactions, "transaction")}, the pod waited {WireText.Duration(peer.BusyNs)} on it",
            };
            if (peer.Names.Count == 0)
            {
                lines.Add("no name for it in the capture (no DNS answer, HTTP Host or TLS SNI)");
            }

            var name = peer.Names.Count > 0 ? peer.Names[0] : peer.Ip.ToString();
            var port = peer.Ports.Count > 0 ? $":{peer.Ports[0]}" : string.Empty;
            yield return new Finding(
                Id,
                Severity.Warning,
                $"The pod talks to {peer.Display}, which is not a declared dependency",
                peer.Display,
                lines,
                $"Find out what in the app calls {name}. If it is a real dependency, declare it in the expectations file:\n"
                + $"  - name: {name}\n    address: {peer.Ip}{port}");
        }
    }
}
