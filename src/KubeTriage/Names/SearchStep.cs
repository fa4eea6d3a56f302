using System.Text.Json.Serialization;

namespace KubeTriage.Names;

/// <summary>
/// One candidate name of a search-list expansion, asked as A and AAAA together (as glibc does):
/// the response code of each, the addresses found and the time until both came back.
/// </summary>
public sealed record SearchStep(
    string Candidate,
    string? ARcode,
    string? AaaaRcode,
    IReadOnlyList<string> Answers,
    double? LatencySeconds,
    string? Error)
{
    [JsonIgnore]
    public bool IsNxDomain => ARcode == DnsRcodes.NxDomain || AaaaRcode == DnsRcodes.NxDomain;
}
