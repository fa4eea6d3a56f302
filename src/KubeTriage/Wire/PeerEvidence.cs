using KubeTriage.Capture.Primitives;

namespace KubeTriage.Wire;

/// <summary>
/// One remote address as the pod saw it: the names it was known by (DNS answers in the capture, HTTP Host,
/// TLS SNI), the server ports and protocols used, traffic, connections, transactions, and how long the pod
/// waited on it. <see cref="BusyNs"/> is the union of the pod's waits (connects, request→response);
/// <see cref="AnsweredBusyNs"/> leaves out connects that never got an answer.
/// </summary>
public sealed record PeerEvidence
{
    public required NetAddress Ip { get; init; }

    public IReadOnlyList<string> Names { get; init; } = [];

    public IReadOnlyList<ushort> Ports { get; init; } = [];

    public IReadOnlyList<string> Protocols { get; init; } = [];

    public long Packets { get; init; }

    public long Bytes { get; init; }

    public long Connections { get; init; }

    public long FailedConnections { get; init; }

    public long Transactions { get; init; }

    /// <summary>True when the peer answered the pod (it was the server of a connection, flow or transaction), false for peers that only called the pod.</summary>
    public bool ServesPod { get; init; }

    public long BusyNs { get; init; }

    public long AnsweredBusyNs { get; init; }

    /// <summary>How many waits (answered connects, answered transactions, request/response turns) went into the busy time.</summary>
    public long Waits { get; init; }

    /// <summary>Sum of the answered waits' own lengths (overlaps counted each time), for the mean wait.</summary>
    public long WaitSumNs { get; init; }

    public long WaitMaxNs { get; init; }

    /// <summary>True when the pod only asked this peer DNS questions: a resolver, not an app dependency.</summary>
    public bool DnsOnly => Ports.Count > 0 && Ports.All(p => p == 53) && Protocols.All(p => p is "dns" or "udp" or "tcp" or "icmp");

    public double MeanWaitSeconds => Waits == 0 ? 0 : WaitSumNs / 1e9 / Waits;

    public string Display => Names.Count == 0 ? Ip.ToString() : $"{Ip} ({string.Join(", ", Names)})";
}
