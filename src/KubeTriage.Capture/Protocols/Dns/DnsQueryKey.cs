using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Protocols.Dns;

/// <summary>
/// What pairs a response with its query: both endpoints, the id, and the question. Names compare
/// case-insensitively (resolvers using 0x20 randomisation echo the case they were sent, others may not).
/// The hash is computed once, when the key is made: a key is looked up several times (the query's
/// arrival, its answer, its deadline) and hashing the name case-insensitively is most of the cost.
/// </summary>
internal readonly record struct DnsQueryKey
{
    private readonly int _hash;

    public DnsQueryKey(WireEndpoint client, WireEndpoint server, ushort id, ushort type, string name)
    {
        Client = client;
        Server = server;
        Id = id;
        Type = type;
        Name = name;
        NameHash = StringComparer.OrdinalIgnoreCase.GetHashCode(name);
        _hash = HashCode.Combine(client, server, id, type, NameHash);
    }

    public WireEndpoint Client { get; }

    public WireEndpoint Server { get; }

    public ushort Id { get; }

    public ushort Type { get; }

    public string Name { get; }

    /// <summary>The case-insensitive hash of <see cref="Name"/>, kept for <see cref="DnsQuestionKey"/>.</summary>
    public int NameHash { get; }

    public bool Equals(DnsQueryKey other) =>
        _hash == other._hash
        && Id == other.Id
        && Type == other.Type
        && Client == other.Client
        && Server == other.Server
        && string.Equals(Name, other.Name, StringComparison.OrdinalIgnoreCase);

    public override int GetHashCode() => _hash;
}
