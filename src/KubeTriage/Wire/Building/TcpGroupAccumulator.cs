using KubeTriage.Capture.Flows;
using KubeTriage.Capture.Primitives;

namespace KubeTriage.Wire.Building;

/// <summary>Counts the connections of one client address to one server endpoint as they close.</summary>
internal sealed class TcpGroupAccumulator(NetAddress client, WireEndpoint server)
{
    private const int MaxExamples = 5;

    private readonly HashSet<int> _failedInterfaces = [];
    private readonly List<TcpConnection> _examples = [];
    private long _established;
    private long _noReply;
    private long _refused;
    private long _other;
    private long _failedSyns;
    private long? _firstFailedSyn;
    private long? _lastFailedSyn;

    public void Add(TcpConnection connection)
    {
        switch (connection.Outcome)
        {
            case TcpOutcome.Established:
                _established++;
                return;
            case TcpOutcome.NoReply:
                _noReply++;
                break;
            case TcpOutcome.Refused:
                _refused++;
                break;
            default:
                _other++;
                return;
        }

        _failedSyns += connection.SynAttempts;
        var first = connection.SynTimesNs.Count > 0 ? connection.SynTimesNs[0] : connection.FirstTimeNs;
        var last = connection.SynTimesNs.Count > 0 ? connection.SynTimesNs[^1] : connection.FirstTimeNs;
        _firstFailedSyn = _firstFailedSyn is { } f ? Math.Min(f, first) : first;
        _lastFailedSyn = _lastFailedSyn is { } l ? Math.Max(l, last) : last;
        foreach (var id in connection.InterfaceIds)
        {
            _failedInterfaces.Add(id);
        }

        if (_examples.Count < MaxExamples)
        {
            _examples.Add(connection);
        }
    }

    public TcpConnectGroup Build() => new()
    {
        Client = client,
        Server = server,
        Established = _established,
        NoReply = _noReply,
        Refused = _refused,
        Other = _other,
        FailedSynAttempts = _failedSyns,
        FirstFailedSynNs = _firstFailedSyn,
        LastFailedSynNs = _lastFailedSyn,
        FailedInterfaceIds = _failedInterfaces.Order().ToList(),
        FailedExamples = _examples.OrderBy(c => c.FirstTimeNs).ThenBy(c => c.FirstFrame).ToList(),
    };
}
