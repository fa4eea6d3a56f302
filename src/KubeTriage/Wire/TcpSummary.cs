namespace KubeTriage.Wire;

/// <summary>TCP connections of the whole capture, by how their opening went.</summary>
public sealed record TcpSummary
{
    public long Connections { get; init; }

    public long Established { get; init; }

    public long NoReply { get; init; }

    public long Refused { get; init; }

    public long MidStream { get; init; }

    public long HalfOpen { get; init; }

    public long Retransmissions { get; init; }

    public long Resets { get; init; }
}
