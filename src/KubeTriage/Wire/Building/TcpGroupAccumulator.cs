using KubeTriage.Capture.Flows;
using KubeTriage.Capture.Primitives;

namespace KubeTriage.Wire.Building;

/// <summary>
/// Counts the connections of one client address to one server endpoint as they close, their data segments sent again,
/// and the ones the server reset while the client's request waited for its answer.
/// </summary>
internal sealed class TcpGroupAccumulator(NetAddress client, WireEndpoint server)
{
    private const int MaxExamples = 5;
    private const int MaxResetExamplesPerShape = 3;

    private readonly HashSet<int> _failedInterfaces = [];
    private readonly List<TcpConnection> _examples = [];
    private readonly List<TcpConnection> _retransmissionExamples = [];
    private readonly List<TcpConnection> _blackHoleExamples = [];
    private long _blackHoleToServer;
    private readonly List<TcpConnection> _retriedExamples = [];
    private readonly List<TcpConnection> _slowGreetingExamples = [];
    private readonly List<TcpResetExample> _abandonedExamples = [];
    private long _abandoned;
    private long _abandonedWaitTotalNs;
    private long _abandonedWaitMaxNs;
    private long _firstOpenNs = long.MaxValue;
    private long _lastOpenNs = long.MinValue;
    private long _turns;
    private long _lifetimeTotalNs;
    private long _slowGreetings;
    private long _greetingDelayTotalNs;
    private long _greetingDelayMaxNs;
    private long _retriedConnects;
    private long _synAckLost;
    private long _retryDelayTotalNs;
    private long _retryDelayMaxNs;
    private long _blackHoleToClient;
    private long _segmentsToServer;
    private long _segmentsToClient;
    private long _retransmittedToServer;
    private long _retransmittedToClient;
    private long _retransmitting;
    private long? _firstRetransmission;
    private long? _lastRetransmission;
    private long _established;
    private long _noReply;
    private long _refused;
    private long _other;
    private long _failedSyns;
    private long? _firstFailedSyn;
    private long? _lastFailedSyn;
    private readonly List<TcpResetExample> _resetExamples = [];
    private long _requestConnections;
    private long _resetWhileWaiting;
    private long _resetAfterClose;
    private long? _firstReset;
    private long? _lastReset;
    private long? _shortestIdleAtClose;
    private long? _longestIdleAtClose;

    /// <param name="connection">The connection, as it ended.</param>
    /// <param name="request">What the dissector saw of the client's last request without an answer on it, if anything.</param>
    public void Add(TcpConnection connection, UnansweredRequest? request = null)
    {
        _firstOpenNs = Math.Min(_firstOpenNs, connection.FirstTimeNs);
        _lastOpenNs = Math.Max(_lastOpenNs, connection.FirstTimeNs);
        _turns += connection.ServerTurns;
        _lifetimeTotalNs += connection.LastTimeNs - connection.FirstTimeNs;
        AddSegments(connection);
        AddReset(connection, request);
        AddAbandoned(connection, request);
        switch (connection.Outcome)
        {
            case TcpOutcome.Established:
                _established++;
                AddRetriedConnect(connection);
                AddSlowGreeting(connection);
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

    /// <summary>
    /// A connection whose client gave up on its request (closed or reset it unanswered) after waiting long enough to count;
    /// only when a dissector saw the request waiting (HTTP, MySQL).
    /// </summary>
    private void AddAbandoned(TcpConnection connection, UnansweredRequest? request)
    {
        // Only a request a dissector saw waiting for its answer: data of an unknown protocol may expect none.
        if (connection.ClientGaveUpNs is not { } gaveUp || connection.AbandonedRequestNs is not { } asked || request is not { ClientQuit: false, Text: not null })
        {
            return;
        }

        long wait = gaveUp - asked;
        if (wait < TcpConnectGroup.MinAbandonedWaitNs)
        {
            return;
        }

        _abandoned++;
        _abandonedWaitTotalNs += wait;
        _abandonedWaitMaxNs = Math.Max(_abandonedWaitMaxNs, wait);
        if (_abandonedExamples.Count < MaxExamples)
        {
            _abandonedExamples.Add(new TcpResetExample(connection, request.Value.Text, request.Value.TimeNs, request.Value.Frame));
        }
    }

    /// <summary>An established connection whose server spoke first, half a second or more after its SYN-ACK.</summary>
    private void AddSlowGreeting(TcpConnection connection)
    {
        if (connection.GreetingDelayNs is not { } delay)
        {
            return;
        }

        _slowGreetings++;
        _greetingDelayTotalNs += delay;
        _greetingDelayMaxNs = Math.Max(_greetingDelayMaxNs, delay);
        if (_slowGreetingExamples.Count < MaxExamples)
        {
            _slowGreetingExamples.Add(connection);
        }
    }

    /// <summary>An established connection whose client sent its SYN more than once: the connect took a retransmission timeout or more.</summary>
    private void AddRetriedConnect(TcpConnection connection)
    {
        if (connection.SynAckNs is not { } synAck || connection.SynTimesNs.Count < 2)
        {
            return;
        }

        _retriedConnects++;
        if (connection.SynTimesNs[^1] > synAck)
        {
            _synAckLost++;
        }

        long delay = Math.Max(synAck, connection.SynTimesNs[^1]) - connection.SynTimesNs[0];
        _retryDelayTotalNs += delay;
        _retryDelayMaxNs = Math.Max(_retryDelayMaxNs, delay);
        if (_retriedExamples.Count < MaxExamples)
        {
            _retriedExamples.Add(connection);
        }
    }

    private void AddSegments(TcpConnection connection)
    {
        _segmentsToServer += connection.DataSegmentsToServer;
        _segmentsToClient += connection.DataSegmentsToClient;
        if (connection.FirstDataRetransmissionNs is not { } first)
        {
            return;
        }

        _retransmittedToServer += connection.DataRetransmissionsToServer;
        _retransmittedToClient += connection.DataRetransmissionsToClient;
        _retransmitting++;
        _firstRetransmission = _firstRetransmission is { } f ? Math.Min(f, first) : first;
        var last = connection.LastDataRetransmissionNs ?? first;
        _lastRetransmission = _lastRetransmission is { } l ? Math.Max(l, last) : last;
        if (_retransmissionExamples.Count < MaxExamples)
        {
            _retransmissionExamples.Add(connection);
        }

        bool toServer = connection.StalledToServer is { LooksLikeBlackHole: true };
        bool toClient = connection.StalledToClient is { LooksLikeBlackHole: true };
        if (connection.Outcome != TcpOutcome.Established || !(toServer || toClient))
        {
            // Only a connection whose handshake was answered shows that small packets pass the path.
            return;
        }

        _blackHoleToServer += toServer ? 1 : 0;
        _blackHoleToClient += toClient ? 1 : 0;
        if (_blackHoleExamples.Count < MaxExamples)
        {
            _blackHoleExamples.Add(connection);
        }
    }

    private void AddReset(TcpConnection connection, UnansweredRequest? request)
    {
        if (connection.Outcome is not (TcpOutcome.Established or TcpOutcome.MidStream) || connection.DataSegmentsToServer == 0)
        {
            return;
        }

        _requestConnections++;
        if (!connection.ServerResetMidRequest || request is { ClientQuit: true } || connection.FirstResetNs is not { } reset)
        {
            // A MySQL client's COM_QUIT is the client closing: nothing waited for an answer.
            return;
        }

        // Examples are kept per shape, so a few resets of one shape do not hide the other.
        long sameShape;
        if (connection.ServerClosedBeforeReset)
        {
            sameShape = _resetAfterClose++;
            if (TcpResetExample.IdleAtServerCloseNs(connection) is { } idle)
            {
                _shortestIdleAtClose = _shortestIdleAtClose is { } s ? Math.Min(s, idle) : idle;
                _longestIdleAtClose = _longestIdleAtClose is { } l ? Math.Max(l, idle) : idle;
            }
        }
        else
        {
            sameShape = _resetWhileWaiting++;
        }

        _firstReset = _firstReset is { } f ? Math.Min(f, reset) : reset;
        _lastReset = _lastReset is { } last ? Math.Max(last, reset) : reset;
        if (sameShape < MaxResetExamplesPerShape)
        {
            _resetExamples.Add(new TcpResetExample(connection, request?.Text, request?.TimeNs, request?.Frame));
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
        DataSegmentsToServer = _segmentsToServer,
        DataSegmentsToClient = _segmentsToClient,
        DataRetransmissionsToServer = _retransmittedToServer,
        DataRetransmissionsToClient = _retransmittedToClient,
        RetransmittingConnections = _retransmitting,
        FirstDataRetransmissionNs = _firstRetransmission,
        LastDataRetransmissionNs = _lastRetransmission,
        RetransmissionExamples = _retransmissionExamples.OrderBy(c => c.FirstDataRetransmissionNs).ThenBy(c => c.FirstFrame).ToList(),
        FirstOpenNs = _firstOpenNs == long.MaxValue ? 0 : _firstOpenNs,
        LastOpenNs = _lastOpenNs == long.MinValue ? 0 : _lastOpenNs,
        Turns = _turns,
        LifetimeTotalNs = _lifetimeTotalNs,
        Abandoned = _abandoned,
        AbandonedWaitTotalNs = _abandonedWaitTotalNs,
        AbandonedWaitMaxNs = _abandonedWaitMaxNs,
        AbandonedExamples = _abandonedExamples.OrderBy(e => e.Connection.AbandonedRequestNs).ThenBy(e => e.Connection.FirstFrame).ToList(),
        SlowGreetings = _slowGreetings,
        GreetingDelayTotalNs = _greetingDelayTotalNs,
        GreetingDelayMaxNs = _greetingDelayMaxNs,
        SlowGreetingExamples = _slowGreetingExamples.OrderBy(c => c.FirstTimeNs).ThenBy(c => c.FirstFrame).ToList(),
        RetriedConnects = _retriedConnects,
        SynAckLost = _synAckLost,
        RetryDelayTotalNs = _retryDelayTotalNs,
        RetryDelayMaxNs = _retryDelayMaxNs,
        RetriedExamples = _retriedExamples.OrderBy(c => c.FirstTimeNs).ThenBy(c => c.FirstFrame).ToList(),
        BlackHoleToServer = _blackHoleToServer,
        BlackHoleToClient = _blackHoleToClient,
        BlackHoleExamples = _blackHoleExamples.OrderBy(c => c.FirstTimeNs).ThenBy(c => c.FirstFrame).ToList(),
        RequestConnections = _requestConnections,
        ResetWhileWaiting = _resetWhileWaiting,
        ResetAfterClose = _resetAfterClose,
        FirstMidRequestResetNs = _firstReset,
        LastMidRequestResetNs = _lastReset,
        ShortestIdleAtCloseNs = _shortestIdleAtClose,
        LongestIdleAtCloseNs = _longestIdleAtClose,
        ResetExamples = _resetExamples.OrderBy(e => e.Connection.FirstResetNs).ThenBy(e => e.Connection.FirstFrame).ToList(),
    };
}
