using KubeTriage.Capture.Flows;
using KubeTriage.Capture.Primitives;

namespace KubeTriage.Wire;

/// <summary>
/// The zero receive windows one side advertised on the connections of one client address to one server endpoint:
/// the server's (<see cref="ReceiverIsServer"/>) or the client's. While a side's window is zero its peer may not
/// send: the application behind that socket stopped reading. Counts cover every such connection; the few with the
/// longest stalls are kept as examples, so a finding can cite packets.
/// </summary>
public sealed record TcpZeroWindowGroup
{
    public required NetAddress Client { get; init; }

    public required WireEndpoint Server { get; init; }

    /// <summary>True when the server advertised the zero windows (it stalled the client); false when the client did.</summary>
    public required bool ReceiverIsServer { get; init; }

    /// <summary>Connections on which this side advertised a zero window.</summary>
    public long Connections { get; init; }

    public long Segments { get; init; }

    public long Stalls { get; init; }

    /// <summary>Window probes the stalled sender sent.</summary>
    public long Probes { get; init; }

    /// <summary>The stalls' durations added up, over all the connections.</summary>
    public long StalledNs { get; init; }

    public long LongestStallNs { get; init; }

    public long LongestStallStartNs { get; init; }

    public long LongestStallFrame { get; init; }

    /// <summary>The connection of the longest stall.</summary>
    public required TcpConnection LongestConnection { get; init; }

    /// <summary>True when the longest stall never ended (the window was still zero when the connection was reset or at its last packet).</summary>
    public bool LongestStallUnresolved { get; init; }

    /// <summary>Connections whose window was still zero when they were reset or at their last packet.</summary>
    public long UnresolvedConnections { get; init; }

    /// <summary>The connections with the longest stalls, longest first (at most a handful).</summary>
    public IReadOnlyList<TcpConnection> Examples { get; init; } = [];

    /// <summary>The side that advertised the zero windows.</summary>
    public NetAddress Receiver => ReceiverIsServer ? Server.Address : Client;

    /// <summary>The side that was kept from sending.</summary>
    public NetAddress Sender => ReceiverIsServer ? Client : Server.Address;

    /// <summary>One connection's zero windows of this group's side.</summary>
    public TcpZeroWindow Of(TcpConnection connection) => Side(connection, ReceiverIsServer);

    public static TcpZeroWindow Side(TcpConnection connection, bool server) => server ? connection.ServerZeroWindow : connection.ClientZeroWindow;
}
