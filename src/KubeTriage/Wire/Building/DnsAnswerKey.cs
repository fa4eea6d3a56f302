using KubeTriage.Capture.Primitives;

namespace KubeTriage.Wire.Building;

/// <summary>
/// A name, the resolver that answered, the query type and the answer's addresses (sorted ordinally). Equal
/// when the addresses are equal one by one, so a key can be looked up with a reused list and only a new
/// key needs its own copy.
/// </summary>
internal readonly struct DnsAnswerKey(string name, NetAddress server, ushort type, IReadOnlyList<string> addresses)
    : IEquatable<DnsAnswerKey>
{
    public string Name { get; } = name;

    public NetAddress Server { get; } = server;

    public ushort Type { get; } = type;

    public IReadOnlyList<string> Addresses { get; } = addresses;

    public bool Equals(DnsAnswerKey other)
    {
        if (Type != other.Type || Server != other.Server || Addresses.Count != other.Addresses.Count
            || !string.Equals(Name, other.Name, StringComparison.Ordinal))
        {
            return false;
        }

        for (var i = 0; i < Addresses.Count; i++)
        {
            if (!string.Equals(Addresses[i], other.Addresses[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    public override bool Equals(object? obj) => obj is DnsAnswerKey other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Name, StringComparer.Ordinal);
        hash.Add(Server);
        hash.Add(Type);
        for (var i = 0; i < Addresses.Count; i++)
        {
            hash.Add(Addresses[i], StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }
}
