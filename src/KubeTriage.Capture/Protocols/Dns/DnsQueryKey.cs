using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Protocols.Dns;

/// <summary>
/// What pairs a response with its query: both endpoints, the id, and the question. Names compare
/// case-insensitively (resolvers using 0x20 randomisation echo the case they were sent, others may not).
/// </summary>
internal readonly record struct DnsQueryKey(WireEndpoint Client, WireEndpoint Server, ushort Id, ushort Type, string Name)
{
    public bool Equals(DnsQueryKey other) =>
        Id == other.Id
        && Type == other.Type
        && Client == other.Client
        && Server == other.Server
        && string.Equals(Name, other.Name, StringComparison.OrdinalIgnoreCase);

    public override int GetHashCode() =>
        HashCode.Combine(Client, Server, Id, Type, StringComparer.OrdinalIgnoreCase.GetHashCode(Name));
}
