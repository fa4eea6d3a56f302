using System.Text.Json.Serialization;

namespace KubeTriage.Names;

/// <summary>What came back for one question: a response (with any rcode), nothing in time, or a network error.</summary>
public enum DnsProbeOutcome
{
    [JsonStringEnumMemberName("answered")]
    Answered,

    [JsonStringEnumMemberName("timeout")]
    Timeout,

    [JsonStringEnumMemberName("network-error")]
    NetworkError,
}
