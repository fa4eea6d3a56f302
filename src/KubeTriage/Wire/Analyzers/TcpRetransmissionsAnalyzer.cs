using System.Globalization;
using KubeTriage.Capture.Primitives;
using KubeTriage.Findings;

namespace KubeTriage.Wire.Analyzers;

/// <summary>
/// <c>tcp.retransmissions</c>: data segments between the pod and one peer were sent again so often that
/// packets are being lost on the way (a policer or shaper dropping, a NIC or link with errors, a congested
/// or wrong path). Each loss costs the sender at least a round trip, and a retransmission timeout (200 ms or
/// more) when the tail of a burst is lost, so a lossy path makes calls slow without failing them. Counted
/// per peer and server port over both directions; repeated SYNs (connect attempts,
/// <c>tcp.connect-no-reply</c>) and FINs (the close) are not counted. Raised at <see cref="MinRetransmissions"/> segments sent again and at
/// least <see cref="MinShare"/> of the data segments. Linked to <c>dns.unexpected-answer</c> when the peer's
/// address came from a DNS answer outside the expected ranges (the pod was sent down the wrong path).
/// </summary>
public sealed class TcpRetransmissionsAnalyzer : IAnalyzer<CaptureContext>
{
    public const int MinRetransmissions = 10;
    public const double MinShare = 0.02;
    private const int MaxExamples = 3;

    public string Id => FindingIds.TcpRetransmissions;

    public string Title => "TCP data sent again: packets lost on the way";

    /// <summary>The pod's connections to one peer and server port, with their data segments and how many were sent again.</summary>
    public sealed record LossyPeer(NetAddress Peer, ushort Port, bool PodIsClient, IReadOnlyList<TcpConnectGroup> Groups)
    {
        public long ToServer => Groups.Sum(g => g.DataSegmentsToServer);

        public long ToClient => Groups.Sum(g => g.DataSegmentsToClient);

        public long AgainToServer => Groups.Sum(g => g.DataRetransmissionsToServer);

        public long AgainToClient => Groups.Sum(g => g.DataRetransmissionsToClient);

        public long Segments => ToServer + ToClient;

        public long Again => AgainToServer + AgainToClient;

        public double Share => Segments == 0 ? 0 : (double)Again / Segments;
    }

    /// <summary>The peers (and ports) of the pod whose data was sent again often enough to raise the finding.</summary>
    /// <remarks>
    /// A connection seen before and after DNAT on the node carries the same segments twice: it counts under the
    /// Service address the pod asked for, not again under the backend.
    /// </remarks>
    public static IEnumerable<LossyPeer> LossyPeers(CaptureEvidence evidence) =>
        evidence.PodTcpGroups()
            .GroupBy(g => (Peer: evidence.IsPod(g.Client) ? g.Server.Address : g.Client, g.Server.Port, PodIsClient: evidence.IsPod(g.Client)))
            .Select(g => new LossyPeer(g.Key.Peer, g.Key.Port, g.Key.PodIsClient, g.ToList()))
            .Where(p => p.Again >= MinRetransmissions && p.Share >= MinShare)
            .OrderBy(p => p.Peer, AddressOrder.Instance).ThenBy(p => p.Port);

    public IEnumerable<Finding> Analyze(CaptureContext context)
    {
        var evidence = context.Evidence;
        var unexpected = ExpectationMatch.UnexpectedAnswers(evidence, context.Expectations).ToList();
        var blackHoles = NetPathMtuAnalyzer.BlackHolePeers(evidence).ToList();
        foreach (var lossy in LossyPeers(evidence))
        {
            var (peer, port, podIsClient, list) = (lossy.Peer, lossy.Port, lossy.PodIsClient, lossy.Groups);
            long toServer = lossy.ToServer;
            long toClient = lossy.ToClient;
            long againToServer = lossy.AgainToServer;
            long againToClient = lossy.AgainToClient;
            long again = lossy.Again;
            long segments = lossy.Segments;
            var share = lossy.Share;
            var display = evidence.Describe(peer);
            var endpoint = podIsClient ? $"{WireText.Endpoint(peer, port)}" : $"the pod's port {port}";
            var (podSent, podAgain, peerSent, peerAgain) = podIsClient
                ? (toServer, againToServer, toClient, againToClient)
                : (toClient, againToClient, toServer, againToServer);
            long connections = list.Sum(g => g.Total);
            long retransmitting = list.Sum(g => g.RetransmittingConnections);
            var first = list.Where(g => g.FirstDataRetransmissionNs is not null).Min(g => g.FirstDataRetransmissionNs!.Value);
            var last = list.Where(g => g.LastDataRetransmissionNs is not null).Max(g => g.LastDataRetransmissionNs!.Value);
            var lines = new List<string>
            {
                $"{display} → the pod: {Share(peerAgain, peerSent)}; the pod → {display}: {Share(podAgain, podSent)}",
                $"{retransmitting} of {WireText.Count(connections, "connection")} {(podIsClient ? "to " + endpoint : "from " + display + " to " + endpoint)} sent data again,"
                + $" from {WireText.Clock(first)} to {WireText.Clock(last)}",
            };
            foreach (var connection in list.SelectMany(g => g.RetransmissionExamples)
                         .OrderBy(c => c.FirstDataRetransmissionNs).ThenBy(c => c.FirstFrame).Take(MaxExamples))
            {
                lines.Add($"{connection.Client} → {connection.Server}: {Sent(connection.DataRetransmissionsToServer, connection.DataSegmentsToServer)} to the server,"
                    + $" {Sent(connection.DataRetransmissionsToClient, connection.DataSegmentsToClient)} to the client;"
                    + $" first at {WireText.Clock(connection.FirstDataRetransmissionNs!.Value)} ({WireText.Frame(connection.FirstDataRetransmissionFrame, evidence.FileOf(connection))})");
            }

            if (podIsClient)
            {
                var backends = evidence.NatTranslations.Where(t => t.Service.Address == peer && t.Service.Port == port).Select(t => t.Backend.ToString()).ToList();
                if (backends.Count > 0)
                {
                    lines.Add($"DNAT on the node sent these connections to {WireText.List(backends)}: the same segments, counted once");
                }
            }

            var tooBig = evidence.IcmpErrors.Where(e => e.IsTooBig && (e.OriginalDestination.Address == peer || e.OriginalSource == peer)).ToList();
            var blackHole = blackHoles.Where(h => h.Peer == peer).ToList();
            if (tooBig.Count > 0)
            {
                lines.Add($"packets on this path were too big for a link on the way ({FindingIds.NetPathMtu}"
                    + (tooBig.Min(e => e.Mtu) is { } mtu ? $", MTU {mtu}" : string.Empty) + "): large segments are lost until the sender learns the path's MTU");
            }
            else if (blackHole.Count > 0)
            {
                lines.Add($"{WireText.Count(blackHole.Sum(h => h.Connections), "connection")} stalled on a large segment that never got through while smaller ones did"
                    + $" ({FindingIds.NetPathMtu}): a path-MTU black hole, not random loss");
            }

            var causes = unexpected.Where(u => u.Outside.Contains(peer.ToString())).ToList();
            foreach (var cause in causes.Take(2))
            {
                lines.Add($"the pod got this address from DNS: {cause.Answer.Server} answered {cause.Answer.Name} → {string.Join(", ", cause.Answer.Addresses)}"
                    + $" at {WireText.Clock(cause.Answer.FirstTimeNs)}, outside the expected {string.Join(", ", cause.Dependency.ResolvesTo)}");
            }

            yield return new Finding(
                Id,
                Severity.Warning,
                $"{WireText.Percent(share)} of the TCP data with {display} was sent again ({again} of {segments} segments): packets are lost on the way",
                podIsClient ? (evidence.NamesOf(peer).Count == 0 ? endpoint : $"{endpoint} ({string.Join(", ", evidence.NamesOf(peer))})") : display,
                lines,
                Remediation(evidence, peer, port, causes.Count > 0))
            {
                CausedBy = [.. causes.Count > 0 ? [FindingIds.DnsUnexpectedAnswer] : Array.Empty<string>(),
                    .. tooBig.Count + blackHole.Count > 0 ? [FindingIds.NetPathMtu] : Array.Empty<string>()],
            };
        }
    }

    private static string Share(long again, long sent) =>
        sent == 0
            ? "no data"
            : $"{again.ToString(CultureInfo.InvariantCulture)} of {WireText.Count(sent, "data segment")} sent again ({Percent((double)again / sent)})";

    private static string Sent(long again, long sent) => $"{again.ToString(CultureInfo.InvariantCulture)} of {sent.ToString(CultureInfo.InvariantCulture)} segments sent again";

    /// <summary>One decimal below 10%, so that 2.4% does not read as 2%.</summary>
    private static string Percent(double share) =>
        share < 0.1 && share > 0 ? (share * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%" : WireText.Percent(share);

    private static string Remediation(CaptureEvidence evidence, NetAddress peer, ushort port, bool wrongAnswer)
    {
        var pod = evidence.Pod.Ips.Count > 0 ? evidence.Pod.Ips[0].ToString() : "<pod-ip>";
        var lines = new List<string>();
        if (wrongAnswer)
        {
            lines.Add($"The pod reaches {peer} because DNS gave it an address outside the expected ranges ({FindingIds.DnsUnexpectedAnswer}): fix the record and the lossy path is no longer used.");
        }

        lines.Add($"Packets between the pod and {peer} are dropped somewhere; find where, on the node first:");
        lines.Add("  ip -s link show                                  # RX/TX dropped and errors, per interface");
        lines.Add("  tc -s qdisc show                                 # drops and overlimits of a shaper or policer");
        lines.Add("  ethtool -S <nic> | grep -iE 'drop|discard|err'   # the NIC's own counters");
        lines.Add($"  ip route get {peer} from {pod}   # the path the pod's packets take");
        lines.Add($"  mtr -n -T -P {port} {peer}   # loss hop by hop along the path");
        return string.Join('\n', lines);
    }
}
