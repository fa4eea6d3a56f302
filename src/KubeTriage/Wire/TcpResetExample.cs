using KubeTriage.Capture.Flows;

namespace KubeTriage.Wire;

/// <summary>
/// A connection the server reset while the client's request waited for its answer, with that request as the
/// application dissector saw it (<see cref="Request"/>: a MySQL command and its SQL, an HTTP method and path),
/// when one did.
/// </summary>
public sealed record TcpResetExample(TcpConnection Connection, string? Request, long? RequestTimeNs, long? RequestFrame)
{
    /// <summary>
    /// How long the connection had carried no data when the server closed it with a FIN: from the last data before
    /// the unanswered request to the server's FIN. Null when the server sent no FIN before its reset.
    /// </summary>
    public static long? IdleAtServerCloseNs(TcpConnection connection) =>
        connection is { ServerClosedBeforeReset: true, ServerFinNs: { } fin, OutstandingRequestNs: { } request, IdleBeforeRequestNs: { } idle }
            ? Math.Max(0, fin - (request - idle))
            : null;

    /// <summary>The time without data before the server's FIN on this connection, when it closed first.</summary>
    public long? IdleAtServerCloseNs() => IdleAtServerCloseNs(Connection);
}
