using KubeTriage.Capture.Flows;
using KubeTriage.Capture.Primitives;
using KubeTriage.Capture.Tests.Support;

namespace KubeTriage.Capture.Tests.Protocols.Support;

/// <summary>
/// Feeds bytes to one stream dissector the way the engine does (whatever was not consumed, with the new
/// bytes appended), one millisecond and one frame apart. With <c>swapped</c> the engine's guess of the
/// client is the real server (mid-stream, higher port), and the conversation translates directions.
/// </summary>
public sealed class StreamConversation
{
    public static readonly WireEndpoint ClientEndpoint = new(NetAddress.Parse("198.18.1.20"), 40000);
    public static readonly WireEndpoint ServerEndpoint = new(NetAddress.Parse("198.18.2.20"), 3306);

    private readonly List<byte>[] _buffers = [[], []];
    private readonly ITcpStreamDissector _dissector;

    public StreamConversation(Func<TcpStreamContext, ITcpStreamDissector> create, bool midStream = false, bool swapped = false, WireEndpoint? server = null)
    {
        var serverEndpoint = server ?? ServerEndpoint;
        var context = swapped
            ? new TcpStreamContext(serverEndpoint, ClientEndpoint, midStream, "f", Sink)
            : new TcpStreamContext(ClientEndpoint, serverEndpoint, midStream, "f", Sink);
        _dissector = create(context);
        Swapped = swapped;
    }

    public RecordingSink Sink { get; } = new();

    public bool Swapped { get; }

    public long TimeNs { get; private set; }

    public long Frame { get; private set; }

    public StreamConversation Client(params byte[][] chunks) => Send(true, chunks.SelectMany(p => p).ToArray());

    public StreamConversation Server(params byte[][] chunks) => Send(false, chunks.SelectMany(p => p).ToArray());

    /// <summary>Sends bytes from the real client or server, one segment.</summary>
    public StreamConversation Send(bool fromClient, byte[] bytes)
    {
        TimeNs += 1_000_000;
        Frame++;
        var wire = fromClient != Swapped;
        var buffer = _buffers[wire ? 0 : 1];
        buffer.AddRange(bytes);
        var consumed = _dissector.OnData(buffer.ToArray(), wire, TimeNs, Frame);
        Assert.InRange(consumed, 0, buffer.Count);
        buffer.RemoveRange(0, consumed);
        return this;
    }

    /// <summary>Bytes the dissector left unconsumed in one direction.</summary>
    public int Buffered(bool fromClient) => _buffers[fromClient != Swapped ? 0 : 1].Count;

    /// <summary>
    /// Bytes are missing from the real client or server: <paramref name="missingBytes"/> of them (-1: unknown),
    /// a hole noticed now, or with <paramref name="snapCut"/> the uncaptured tail of the last segment.
    /// </summary>
    public StreamConversation Gap(bool fromClient, long missingBytes = -1, bool snapCut = false)
    {
        _dissector.OnGap(fromClient != Swapped, TimeNs, missingBytes, snapCut);
        _buffers[fromClient != Swapped ? 0 : 1].Clear();
        return this;
    }

    public RecordingSink End()
    {
        _dissector.OnEnd(TimeNs + 1);
        return Sink;
    }
}
