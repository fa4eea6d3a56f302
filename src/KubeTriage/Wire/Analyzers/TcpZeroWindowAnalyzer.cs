using KubeTriage.Capture.Primitives;
using KubeTriage.Findings;

namespace KubeTriage.Wire.Analyzers;

/// <summary>
/// <c>tcp.zero-window</c>: one side of the pod's connections advertised a zero receive window, so the other side
/// could not send: the application behind the zero window stopped reading (a CPU-throttled pod, a blocked thread,
/// a slow consumer). One finding per server endpoint and side, the pod's clients of one port taken together.
/// Raised when one stall lasted at least <see cref="MinStallNs"/>: a sender's persist timer starts at its
/// retransmission timeout, at least 200 ms on Linux, so a window that reopens sooner is ordinary flow control in
/// a bulk transfer, while a longer one left the sender probing a closed window.
/// </summary>
public sealed class TcpZeroWindowAnalyzer : IAnalyzer<CaptureContext>
{
    public const long MinStallNs = 200_000_000;

    private const int MaxExamples = 3;

    public string Id => FindingIds.TcpZeroWindow;

    public string Title => "A zero TCP window stalled the sender";

    public IEnumerable<Finding> Analyze(CaptureContext context)
    {
        var evidence = context.Evidence;
        var sides = evidence.TcpZeroWindows
            .Where(g => evidence.IsPod(g.Client) || evidence.IsPod(g.Server.Address))
            .GroupBy(g => (g.Server, g.ReceiverIsServer))
            .OrderBy(s => s.Key.Server.Address, AddressOrder.Instance).ThenBy(s => s.Key.Server.Port).ThenBy(s => s.Key.ReceiverIsServer);
        foreach (var side in sides)
        {
            var groups = side.ToList();
            var longest = groups.OrderByDescending(g => g.LongestStallNs).ThenBy(g => g.LongestStallStartNs).First();
            if (longest.LongestStallNs < MinStallNs)
            {
                continue;
            }

            yield return Judge(evidence, side.Key.Server, side.Key.ReceiverIsServer, groups, longest);
        }
    }

    private static Finding Judge(CaptureEvidence evidence, WireEndpoint server, bool receiverIsServer,
        List<TcpZeroWindowGroup> groups, TcpZeroWindowGroup longest)
    {
        var podIsReceiver = evidence.IsPod(longest.Receiver);
        var clients = groups.Select(g => g.Client).Distinct().OrderBy(c => c, AddressOrder.Instance).ToList();
        var serverText = Describe(evidence, server);
        var clientText = clients.Count == 1 ? evidence.Describe(clients[0]) : $"{clients.Count} clients ({WireText.List(clients.Select(c => c.ToString()), 3)})";
        var (receiverText, senderText) = receiverIsServer ? (serverText, clientText) : (clientText, serverText);
        var receiverName = podIsReceiver ? $"the pod ({receiverText})" : receiverText;
        var stalledNs = groups.Sum(g => g.StalledNs);
        var connections = groups.Sum(g => g.Connections);
        var unresolved = groups.Sum(g => g.UnresolvedConnections);
        var probes = groups.Sum(g => g.Probes);
        var stalls = groups.Sum(g => g.Stalls);

        var lines = new List<string>
        {
            $"{receiverName} advertised a zero receive window {WireText.Count(groups.Sum(g => g.Segments), "time")}"
            + $" on {WireText.Count(connections, "connection")} with {(podIsReceiver ? senderText : "the pod")}:"
            + $" {(podIsReceiver ? "the pod's" : "its")} app stopped reading, so {(podIsReceiver ? senderText : "the pod")} could not send"
            + (probes > 0 ? $" and probed the closed window {WireText.Count(probes, "time")}" : string.Empty),
            (stalls == 1 ? "one stall of " : $"stalled {WireText.Duration(stalledNs)} in all over {stalls} stalls; the longest ")
            + $"{WireText.Duration(longest.LongestStallNs)} from {WireText.Clock(longest.LongestStallStartNs)}"
            + $" ({WireText.Frame(longest.LongestStallFrame, evidence.FileOf(longest.LongestConnection))}), {Ending(evidence, longest)}",
        };
        if (connections > 1)
        {
            foreach (var connection in groups.SelectMany(g => g.Examples.Select(c => (Connection: c, Window: g.Of(c))))
                         .OrderByDescending(e => e.Window.LongestStallNs).ThenBy(e => e.Connection.FirstTimeNs).Take(MaxExamples))
            {
                lines.Add($"{connection.Connection.Client} → {connection.Connection.Server}: {WireText.Count(connection.Window.Segments, "zero window", "zero windows")}"
                    + $", longest stall {WireText.Duration(connection.Window.LongestStallNs)} from {WireText.Clock(connection.Window.LongestStallStartNs)}"
                    + $" ({WireText.Frame(connection.Window.LongestStallFrame, evidence.FileOf(connection.Connection))})");
            }

            if (unresolved > 0)
            {
                lines.Add($"{WireText.Count(unresolved, "connection")} still had a zero window at {(unresolved == 1 ? "its" : "their")} end");
            }
        }

        var anyUnresolved = unresolved > 0;
        var who = podIsReceiver ? "The pod" : receiverText;
        var whom = podIsReceiver ? senderText : "the pod";
        return new Finding(
            FindingIds.TcpZeroWindow,
            Severity.Warning,
            $"{who} stalled {whom} with a zero TCP window for {WireText.Duration(stalledNs)}" + (anyUnresolved ? " (still closed at the end)" : string.Empty),
            $"{clientText} → {serverText} ({(receiverIsServer ? "server's" : "client's")} window)",
            lines,
            podIsReceiver ? PodRemediation(server, receiverIsServer) : PeerRemediation(server, receiverIsServer, receiverText));
    }

    /// <summary>How the longest stall ended: the window reopened, or the connection ended while it was still zero.</summary>
    private static string Ending(CaptureEvidence evidence, TcpZeroWindowGroup group)
    {
        var connection = group.LongestConnection;
        if (!group.LongestStallUnresolved)
        {
            return $"until the window reopened at {WireText.Clock(group.LongestStallStartNs + group.LongestStallNs)}";
        }

        var end = group.LongestStallStartNs + group.LongestStallNs;
        if (connection.Resets > 0)
        {
            return $"still zero when the connection was reset at {WireText.Clock(end)}";
        }

        if (connection.ClosedByFin)
        {
            return $"still zero when the connection closed at {WireText.Clock(end)}";
        }

        var captureEnded = evidence.EndNs is { } e && e - end < 1_000_000_000;
        return $"still zero at the connection's last packet at {WireText.Clock(end)}" + (captureEnded ? ", when the capture ended" : string.Empty);
    }

    private static string Describe(CaptureEvidence evidence, WireEndpoint endpoint)
    {
        var names = evidence.NamesOf(endpoint.Address);
        return names.Count == 0 ? endpoint.ToString() : $"{endpoint} ({string.Join(", ", names)})";
    }

    private static string PodRemediation(WireEndpoint server, bool podIsServer)
    {
        var filter = podIsServer ? $"'sport = :{server.Port}'" : $"'dst {server}'";
        return "The pod's app stopped reading from its socket: the kernel's receive buffer filled and TCP told the sender to wait."
            + " Find out why the app does not read (CPU throttling, a blocked or busy reader thread, a consumer slower than its input):\n"
            + "  kubectl top pod -n <namespace> <pod>   # CPU at its limit?\n"
            + "  kubectl exec -n <namespace> <pod> -- cat /sys/fs/cgroup/cpu.stat   # nr_throttled growing: throttled (v1: cpu/cpu.stat)\n"
            + $"  nsenter -t <pid> -n ss -tmi {filter}   # in the pod's netns: Recv-Q piling up\n"
            + "  jstack <pid>, py-spy dump --pid <pid>, dotnet-stack report -p <pid>   # a thread dump: where the reader waits\n"
            + "Raise the pod's CPU limit or unblock the reader; a bigger receive buffer only delays the stall.";
    }

    private static string PeerRemediation(WireEndpoint server, bool peerIsServer, string peer)
    {
        // The server endpoint is the peer's listening port, or the pod's when the peer is its client.
        var podFilter = peerIsServer ? $"'dst {server}'" : $"'sport = :{server.Port}'";
        var peerFilter = peerIsServer ? $"'sport = :{server.Port}'" : $"'dst {server}'";
        return $"{peer} stopped reading what the pod sends: its receive buffer filled and TCP made the pod wait (its writes block)."
            + " Check that peer's app or server: its CPU, its logs, a thread dump, its own dependencies:\n"
            + $"  ss -tmi {peerFilter}   # on the peer: Recv-Q piling up on the connection from the pod\n"
            + $"  nsenter -t <pid> -n ss -tmi {podFilter}   # in the pod's netns: Send-Q piling up\n"
            + "  kubectl top pod -n <namespace> <peer-pod>   # when the peer is a pod: CPU at its limit? (its cpu.stat shows throttling)";
    }
}
