using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Flows;

/// <summary>
/// What a stream dissector knows about the connection it reads: created once per connection.
/// </summary>
public sealed class TcpStreamContext(WireEndpoint client, WireEndpoint server, bool midStream, string file, ICaptureSink sink)
{
    public WireEndpoint Client { get; } = client;
    public WireEndpoint Server { get; } = server;
    /// <summary>True when the capture began after the handshake: the first bytes may be mid-message.</summary>
    public bool MidStream { get; } = midStream;
    public string File { get; } = file;
    public ICaptureSink Sink { get; } = sink;

    public string FlowName => $"{Client} > {Server}";
}
