using KubeTriage.Capture.Flows;
using KubeTriage.Capture.Primitives;

namespace KubeTriage.Wire.Building;

/// <summary>Counts the zero windows one side advertised on the connections of one client address to one server endpoint.</summary>
internal sealed class TcpZeroWindowAccumulator(NetAddress client, WireEndpoint server, bool receiverIsServer)
{
    private const int MaxExamples = 3;

    private readonly List<TcpConnection> _examples = new(MaxExamples);
    private long _connections;
    private long _segments;
    private long _stalls;
    private long _probes;
    private long _stalledNs;
    private long _unresolved;

    public void Add(TcpConnection connection)
    {
        var side = TcpZeroWindowGroup.Side(connection, receiverIsServer);
        _connections++;
        _segments += side.Segments;
        _stalls += side.Stalls;
        _probes += side.Probes;
        _stalledNs += side.StalledNs;
        if (side.OpenAtEnd)
        {
            _unresolved++;
        }

        if (_examples.Count < MaxExamples)
        {
            _examples.Add(connection);
            return;
        }

        // Keep the longest stalls: the new one replaces the shortest kept when it is longer.
        var shortest = 0;
        for (var i = 1; i < _examples.Count; i++)
        {
            if (Longest(_examples[i]) < Longest(_examples[shortest]))
            {
                shortest = i;
            }
        }

        if (side.LongestStallNs > Longest(_examples[shortest]))
        {
            _examples[shortest] = connection;
        }
    }

    public TcpZeroWindowGroup Build()
    {
        var examples = _examples.OrderByDescending(Longest).ThenBy(c => c.FirstTimeNs).ThenBy(c => c.FirstFrame).ToList();
        var longest = examples[0];
        var side = TcpZeroWindowGroup.Side(longest, receiverIsServer);
        return new TcpZeroWindowGroup
        {
            Client = client,
            Server = server,
            ReceiverIsServer = receiverIsServer,
            Connections = _connections,
            Segments = _segments,
            Stalls = _stalls,
            Probes = _probes,
            StalledNs = _stalledNs,
            LongestStallNs = side.LongestStallNs,
            LongestStallStartNs = side.LongestStallStartNs,
            LongestStallFrame = side.LongestStallFrame,
            LongestStallUnresolved = side.LongestStallUnresolved,
            LongestConnection = longest,
            UnresolvedConnections = _unresolved,
            Examples = examples,
        };
    }

    private long Longest(TcpConnection connection) => TcpZeroWindowGroup.Side(connection, receiverIsServer).LongestStallNs;
}
