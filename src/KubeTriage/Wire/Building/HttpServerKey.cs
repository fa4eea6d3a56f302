using KubeTriage.Capture.Primitives;

namespace KubeTriage.Wire.Building;

/// <summary>
/// A client, the server endpoint it asked and the Host it named. Hosts compare without regard to case
/// (RFC 9110 §4.2.3), so one name written two ways is one server.
/// </summary>
internal readonly record struct HttpServerKey(NetAddress Client, WireEndpoint Server, string Host)
{
    public bool Equals(HttpServerKey other) =>
        Client == other.Client && Server == other.Server && string.Equals(Host, other.Host, StringComparison.OrdinalIgnoreCase);

    public override int GetHashCode() =>
        HashCode.Combine(Client, Server, StringComparer.OrdinalIgnoreCase.GetHashCode(Host));
}
