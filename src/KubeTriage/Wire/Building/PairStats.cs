namespace KubeTriage.Wire.Building;

/// <summary>
/// What one client address did with one server address: connections, transactions, server ports,
/// protocols, and the client's waits on the server.
/// </summary>
internal sealed class PairStats
{
    private const int MaxPorts = 64;

    public long Connections;
    public long FailedConnections;
    public long Transactions;
    public readonly HashSet<ushort> Ports = [];
    public readonly HashSet<string> Protocols = new(StringComparer.Ordinal);

    /// <summary>Every wait, connects without answer included.</summary>
    public readonly IntervalUnion Waits = new();

    /// <summary>Answered waits only: the time the server took.</summary>
    public readonly IntervalUnion AnsweredWaits = new();

    public void AddPort(ushort port)
    {
        if (Ports.Count < MaxPorts)
        {
            Ports.Add(port);
        }
    }

    public void AddProtocol(string? protocol)
    {
        if (!string.IsNullOrEmpty(protocol))
        {
            Protocols.Add(protocol);
        }
    }

    public void AddWait(long startNs, long endNs, bool answered)
    {
        Waits.Add(startNs, endNs);
        if (answered)
        {
            AnsweredWaits.Add(startNs, endNs);
        }
    }
}
