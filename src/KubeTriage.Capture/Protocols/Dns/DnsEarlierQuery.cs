using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Protocols.Dns;

/// <summary>
/// The same question (client address, server, name and type) sent before a query and not answered by the time
/// that query was sent: the client re-sent it from a new source port or with a new id (glibc with
/// <c>single-request-reopen</c>, Go's resolver), or after the dissector had already given the first copy up.
/// Each earlier query is also a transaction of its own, reported without an answer unless one came later.
/// </summary>
/// <param name="TimeNs">The first send of the earliest of them.</param>
/// <param name="Frame">That send's frame.</param>
/// <param name="File">That send's file.</param>
/// <param name="Client">That send's source endpoint.</param>
/// <param name="Id">That send's DNS id.</param>
/// <param name="Queries">How many earlier queries (distinct source port, id, or a copy given up) asked it.</param>
/// <param name="Sends">How many packets they sent, their own re-sends included.</param>
/// <param name="SentWithTwin">The earliest went out with the name's other address query from the same port (see <see cref="DnsTransaction.SentWithTwin"/>).</param>
public sealed record DnsEarlierQuery(long TimeNs, long Frame, string File, WireEndpoint Client, ushort Id, int Queries, int Sends, bool SentWithTwin);
