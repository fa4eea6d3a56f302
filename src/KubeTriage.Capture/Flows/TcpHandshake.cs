namespace KubeTriage.Capture.Flows;

/// <summary>
/// The opening of one TCP connection: SYN attempts and their times, the SYN-ACK and the handshake
/// round trip (from the SYN it answers), a reset answering the SYN, and the outcome those add up to
/// (in Zeek's terms: S0 no reply, REJ refused, SF/S1 established).
/// </summary>
internal struct TcpHandshake
{
    private List<long>? _synTimes;
    private long _lastSynTime;

    public bool SynAckSeen { get; private set; }

    public bool Refused { get; private set; }

    public int SynAttempts { get; private set; }

    public long? RttNs { get; private set; }

    /// <summary>When the first SYN-ACK was seen (0 before one).</summary>
    public long SynAckNs { get; private set; }

    /// <summary>A SYN or SYN-ACK from <paramref name="sender"/>; a repeat is a retransmission and, for a SYN, another attempt.</summary>
    public void OnSyn(ref TcpHalf sender, ref TcpHalf receiver, bool ack, uint sequence, long timeNs, int maxSynTimes)
    {
        if (sender.SynSeen)
        {
            sender.Retransmissions++;
        }
        else
        {
            sender.SynSeen = true;
            sender.InitialSequence = sequence;
        }

        if (ack)
        {
            if (!SynAckSeen && receiver.SynSeen)
            {
                RttNs = timeNs - _lastSynTime;
            }

            if (!SynAckSeen)
            {
                SynAckNs = timeNs;
            }

            SynAckSeen = true;
            return;
        }

        SynAttempts++;
        _lastSynTime = timeNs;
        _synTimes ??= [];
        if (_synTimes.Count < maxSynTimes)
        {
            _synTimes.Add(timeNs);
        }
    }

    /// <summary>A reset from the server before any SYN-ACK or server data refuses the connection.</summary>
    public void OnServerReset(bool clientSynSeen, long serverBytes) => Refused |= clientSynSeen && !SynAckSeen && serverBytes == 0;

    public readonly TcpOutcome Outcome(bool clientSynSeen, long serverBytes)
    {
        if (!clientSynSeen)
        {
            return SynAckSeen ? TcpOutcome.HalfOpen : TcpOutcome.MidStream;
        }

        if (Refused)
        {
            return TcpOutcome.Refused;
        }

        return SynAckSeen || serverBytes > 0 ? TcpOutcome.Established : TcpOutcome.NoReply;
    }

    public readonly long[] SynTimes() => _synTimes is { Count: > 0 } times ? [.. times] : [];

    /// <summary>Clears for reuse, keeping the list of SYN times allocated.</summary>
    public void Reset()
    {
        var times = _synTimes;
        times?.Clear();
        this = default;
        _synTimes = times;
    }
}
