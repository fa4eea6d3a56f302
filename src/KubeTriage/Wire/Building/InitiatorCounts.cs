namespace KubeTriage.Wire.Building;

/// <summary>What an address started: the votes for "this is the pod".</summary>
internal struct InitiatorCounts
{
    /// <summary>TCP connections whose SYN it sent.</summary>
    public long Connections;

    /// <summary>Mid-stream connections where it holds the higher (client-like) port.</summary>
    public long MidStreamConnections;

    public long DnsQueries;

    public readonly long Score => Connections + DnsQueries;
}
