using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Protocols;

/// <summary>
/// The client, server and capture file shared by every transaction of one connection: made once per
/// connection so that each transaction holds one reference instead of two endpoints and a file name.
/// A record, so transactions that hold equal endpoints compare equal.
/// </summary>
internal sealed record TransactionEndpoints(WireEndpoint Client, WireEndpoint Server, string File);
