using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Flows;

/// <summary>
/// One request/response turn on a TCP connection: from the client's first data byte to the server's last
/// data byte before the client sent data again (or the connection ended). It is how long the client
/// waited for a whole answer, a download included, on any protocol; a turn the server never answered
/// with data is not reported. Retransmitted data counts (the client waited for it); copies of a
/// packet seen on a second interface do not.
/// </summary>
public readonly record struct TcpTurn(WireEndpoint Client, WireEndpoint Server, long StartNs, long EndNs);
