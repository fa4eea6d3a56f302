using KubeTriage.Capture.Primitives;

namespace KubeTriage.Wire.Building;

/// <summary>Everything about one peer while the pod's pairs are folded together.</summary>
internal sealed class PeerAccumulator
{
    public long Packets;
    public long Bytes;
    public byte Transports;
    public long Connections;
    public long Failed;
    public long Transactions;
    public bool ServesPod;
    public readonly SortedSet<ushort> Ports = [];
    public readonly SortedSet<string> Protocols = new(StringComparer.Ordinal);
    public readonly IntervalUnion Waits = new(4096);
    public readonly IntervalUnion Answered = new(4096);

    public PeerEvidence Build(NetAddress ip, HashSet<string>? names)
    {
        if ((Transports & PacketCounter.Tcp) != 0)
        {
            Protocols.Add("tcp");
        }

        if ((Transports & PacketCounter.Udp) != 0)
        {
            Protocols.Add("udp");
        }

        if ((Transports & PacketCounter.Icmp) != 0)
        {
            Protocols.Add("icmp");
        }

        return new PeerEvidence
        {
            Ip = ip,
            Names = names?.Order(StringComparer.Ordinal).ToList() ?? [],
            Ports = Ports.ToList(),
            Protocols = Protocols.ToList(),
            Packets = Packets,
            Bytes = Bytes,
            Connections = Connections,
            FailedConnections = Failed,
            Transactions = Transactions,
            ServesPod = ServesPod,
            BusyNs = Waits.TotalNs,
            AnsweredBusyNs = Answered.TotalNs,
            Waits = Answered.Count,
            WaitSumNs = Answered.SumNs,
            WaitMaxNs = Answered.MaxNs,
        };
    }
}
