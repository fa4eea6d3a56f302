using KubeTriage.Capture.Files;

namespace KubeTriage.Capture;

/// <summary>
/// Feeds packets from a live source (libpcap) through the same pipeline as files: declare each
/// interface once, pass every packet with its time and bytes, then <see cref="Complete"/>.
/// The source is reported to the sink like a file named <see cref="SourceName"/>.
/// Not thread-safe: call from one thread (the capture loop).
/// </summary>
public sealed class LiveCapture
{
    private readonly ICaptureSink _sink;
    private readonly PacketPipeline _pipeline;
    private readonly DecodeStats _stats;
    private readonly List<LinkType> _linkTypes = [];
    private bool _started;
    private bool _completed;

    private readonly int _maxDiagnostics;

    internal LiveCapture(ICaptureSink sink, PacketPipeline pipeline, string sourceName, int maxDiagnostics)
    {
        _maxDiagnostics = maxDiagnostics;
        _sink = sink;
        _pipeline = pipeline;
        SourceName = sourceName;
        _stats = new DecodeStats(sourceName);
    }

    public string SourceName { get; }

    public long Packets => _stats.Packets;

    /// <summary>Declares an interface; the returned handle is passed with each of its packets.</summary>
    public int AddInterface(string name, LinkType linkType)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        if (!_started)
        {
            _started = true;
            _sink.OnFileStart(new CaptureFileInfo(SourceName, CaptureFormat.Unknown, linkType));
        }

        _linkTypes.Add(linkType);
        return _pipeline.Interfaces.AddSlot(SourceName, name, linkType);
    }

    /// <summary>One captured packet: interface handle, Unix time in nanoseconds, the bytes captured.</summary>
    public void OnPacket(int interfaceHandle, long timeNs, ReadOnlySpan<byte> frame)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(interfaceHandle);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(interfaceHandle, _linkTypes.Count);
        _pipeline.Process(interfaceHandle, _linkTypes[interfaceHandle], timeNs, _stats.Packets + 1, frame, _stats);
    }

    /// <summary>Ends the capture: reports every flow still open and the source's summary.</summary>
    public CaptureFileSummary Complete(IReadOnlyList<string>? problems = null)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        _completed = true;
        if (!_started)
        {
            _started = true;
            _sink.OnFileStart(new CaptureFileInfo(SourceName, CaptureFormat.Unknown, default));
        }

        var list = new List<string>(problems ?? []);
        _stats.AddProblems(list, _maxDiagnostics);
        var summary = _stats.ToSummary(CaptureFormat.Unknown, _linkTypes.Count > 0 ? _linkTypes[0] : default, list);
        _sink.OnFileEnd(summary);
        _pipeline.Finish();
        return summary;
    }
}
