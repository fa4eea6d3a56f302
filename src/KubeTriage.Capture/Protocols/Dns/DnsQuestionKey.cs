using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Protocols.Dns;

/// <summary>
/// A question one client address asks one server, whatever source port or id carries it: what a resolver
/// that re-sends a query from a new socket (glibc's <c>single-request-reopen</c>, Go) keeps the same.
/// Names compare case-insensitively, as in <see cref="DnsQueryKey"/>, whose name hash it reuses.
/// </summary>
internal readonly record struct DnsQuestionKey
{
    private readonly int _hash;

    public DnsQuestionKey(DnsQueryKey query)
    {
        Client = query.Client.Address;
        Server = query.Server;
        Type = query.Type;
        Name = query.Name;
        _hash = HashCode.Combine(Client, Server, Type, query.NameHash);
    }

    public NetAddress Client { get; }

    public WireEndpoint Server { get; }

    public ushort Type { get; }

    public string Name { get; }

    public bool Equals(DnsQuestionKey other) =>
        _hash == other._hash
        && Type == other.Type
        && Client == other.Client
        && Server == other.Server
        && string.Equals(Name, other.Name, StringComparison.OrdinalIgnoreCase);

    public override int GetHashCode() => _hash;
}
