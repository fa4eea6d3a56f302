using System.Net;

namespace KubeTriage.Node;

/// <summary>
/// A packet to route: destination, source, the interface it arrived on (null for one the node itself sends, which
/// rules see as iif lo) and its firewall mark.
/// </summary>
public sealed record RouteQuery(IPAddress Destination, IPAddress? Source, string? Iif, uint FwMark = 0);
