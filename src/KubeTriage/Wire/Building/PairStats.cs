namespace KubeTriage.Wire.Building;

/// <summary>
/// What one client address did with one server address: connections, transactions, server ports,
/// protocols, and the client's waits on the server.
/// </summary>
internal sealed class PairStats
{
    private const int MaxPorts = 64;

    private bool _settled;

    public long Connections;
    public long FailedConnections;
    public long Transactions;
    public readonly HashSet<ushort> Ports = [];
    public readonly HashSet<string> Protocols = new(StringComparer.Ordinal);

    /// <summary>Every wait, connects without answer included.</summary>
    public readonly IntervalUnion Waits = new();

    /// <summary>Answered waits only: the time the server took.</summary>
    public readonly IntervalUnion AnsweredWaits = new();

    /// <summary>Request/response turns the engine measured on each connection (<see cref="KubeTriage.Capture.Flows.TcpTurn"/>).</summary>
    public readonly IntervalUnion TurnWaits = new();

    /// <summary>Sum of the waits of the transactions the dissectors reported.</summary>
    public long TransactionWaitSumNs;

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

    public void AddTransactionWait(long startNs, long endNs)
    {
        TransactionWaitSumNs += Math.Max(0, endNs - startNs);
        AddWait(startNs, endNs, answered: true);
    }

    /// <summary>
    /// Joins the measured turns into the waits, once, before they are read. Turns and transactions of one
    /// exchange cover the same time and the union counts it once; turns stand alone for connections no
    /// dissector read or whose dissector lost the conversation, so a slow peer does not hide behind an
    /// unreadable protocol. Turns add to the number of waits only where transactions do not describe them.
    /// </summary>
    public void Settle()
    {
        if (_settled)
        {
            return;
        }

        _settled = true;
        var counted = TransactionWaitSumNs * 3 / 2 >= TurnWaits.SumNs;
        Waits.AddAll(TurnWaits, countWaits: !counted);
        AnsweredWaits.AddAll(TurnWaits, countWaits: !counted);
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
