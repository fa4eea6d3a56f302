using System.Text.Json.Serialization;

namespace KubeTriage.Names;

/// <summary>
/// One question asked at <see cref="Time"/> (UTC) (<see cref="Name"/>, <see cref="Type"/> A or AAAA) asked of one resolver, and what came back.
/// <see cref="Answers"/> are the addresses at the end of <see cref="CnameChain"/> (the names passed through,
/// starting with <see cref="Name"/>; empty when there was no CNAME). <see cref="Rcode"/> is the response code
/// of the last response (<c>NOERROR</c>, <c>NXDOMAIN</c>, <c>SERVFAIL</c>, ...), null when none came.
/// <see cref="Transport"/> is <c>udp</c>, or <c>udp+tcp</c> when a truncated UDP answer was asked again over TCP.
/// <see cref="LatencySeconds"/> covers every exchange of the question (UDP, TCP, CNAME chase); null when no answer came.
/// <see cref="Queries"/> counts the DNS messages sent.
/// </summary>
public sealed record DnsProbe(
    DateTime Time,
    string Name,
    string Type,
    DnsResolver Resolver,
    DnsProbeOutcome Outcome,
    string? Rcode,
    IReadOnlyList<string> Answers,
    IReadOnlyList<string> CnameChain,
    double? LatencySeconds,
    string Transport,
    bool Truncated,
    int Queries,
    string? Error)
{
    [JsonIgnore]
    public bool IsAnswered => Outcome == DnsProbeOutcome.Answered;
}
