using KubeTriage.Capture.Flows;

namespace KubeTriage.Wire.Building;

/// <summary>The running counts behind <see cref="TcpSummary"/>, updated in place for every connection.</summary>
internal struct TcpCounts
{
    private long _connections;
    private long _established;
    private long _noReply;
    private long _refused;
    private long _midStream;
    private long _halfOpen;
    private long _retransmissions;
    private long _resets;

    public void Add(TcpConnection connection)
    {
        _connections++;
        switch (connection.Outcome)
        {
            case TcpOutcome.Established:
                _established++;
                break;
            case TcpOutcome.NoReply:
                _noReply++;
                break;
            case TcpOutcome.Refused:
                _refused++;
                break;
            case TcpOutcome.MidStream:
                _midStream++;
                break;
            case TcpOutcome.HalfOpen:
                _halfOpen++;
                break;
        }

        _retransmissions += connection.Retransmissions;
        _resets += connection.Resets;
    }

    public readonly TcpSummary ToSummary() => new()
    {
        Connections = _connections,
        Established = _established,
        NoReply = _noReply,
        Refused = _refused,
        MidStream = _midStream,
        HalfOpen = _halfOpen,
        Retransmissions = _retransmissions,
        Resets = _resets,
    };
}
