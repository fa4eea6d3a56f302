namespace KubeTriage.Capture.Flows;

/// <summary>
/// The segment one direction of a connection sent again most often at one sequence number: the head of its unacknowledged
/// data, repeated at each retransmission timeout. When it is never acknowledged, or only once a smaller copy of it was
/// sent, while smaller segments of the same sender got through, the path drops packets of its size: a path-MTU black
/// hole (a link with a smaller MTU and the ICMP "fragmentation needed" that would say so dropped on the way).
/// </summary>
public readonly record struct TcpStalledSegment
{
    /// <summary>Fewer retransmissions than this are ordinary loss.</summary>
    public const int MinResends = 3;

    /// <summary>Segments smaller than this fit any path a pod network uses: their loss is not about the MTU.</summary>
    public const int MinBlackHoleLength = 1000;

    /// <summary>The segment's first sequence number.</summary>
    public uint Sequence { get; init; }

    /// <summary>How many times it was sent again at that sequence number (the first sending not counted).</summary>
    public int Resends { get; init; }

    /// <summary>The payload of its largest copy, in bytes.</summary>
    public int Length { get; init; }

    /// <summary>The payload of its last copy, in bytes.</summary>
    public int LastLength { get; init; }

    /// <summary>When it was first sent again, and that frame.</summary>
    public long FirstResendNs { get; init; }

    public long FirstResendFrame { get; init; }

    /// <summary>When it was last sent again.</summary>
    public long LastResendNs { get; init; }

    /// <summary>True when the receiver acknowledged it in the end.</summary>
    public bool Acknowledged { get; init; }

    /// <summary>
    /// The largest segment of the same sender the receiver had acknowledged before the first resend (0 when none, such as
    /// on a connection whose first data is this segment; the handshake's small packets had passed).
    /// </summary>
    public int LargestAcknowledgedBefore { get; init; }

    /// <summary>
    /// True for the black hole's shape: sent again <see cref="MinResends"/> times or more at <see cref="MinBlackHoleLength"/>
    /// bytes or more, larger than any segment of the sender acknowledged before, and never acknowledged, or acknowledged
    /// only after a smaller copy was sent (the sender's own black-hole probing, <c>tcp_mtu_probing</c>).
    /// </summary>
    public bool LooksLikeBlackHole =>
        Resends >= MinResends && Length >= MinBlackHoleLength && LargestAcknowledgedBefore < Length
        && (!Acknowledged || LastLength < Length);
}
