using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Protocols.Dns;

/// <summary>
/// One DNS query matched with its response (or with none). <see cref="Rcode"/> and
/// <see cref="ResponseTimeNs"/> are null when no response came.
/// </summary>
public sealed record DnsTransaction(
    long QueryTimeNs,
    WireEndpoint Client,
    WireEndpoint Server,
    bool OverTcp,
    ushort Id,
    string Name,
    ushort QueryType,
    int? Rcode,
    IReadOnlyList<DnsAnswer> Answers,
    long? ResponseTimeNs,
    int Retransmissions,
    long QueryFrame,
    string File)
{
    public double? LatencySeconds => ResponseTimeNs is { } r ? (r - QueryTimeNs) / 1e9 : null;
}

/// <summary>One answer record: A/AAAA data as an address string, CNAME/PTR/NS as a name, others as type only.</summary>
public sealed record DnsAnswer(string Name, ushort Type, uint Ttl, string Data);
