using KubeTriage.Capture.Files;
using KubeTriage.Capture.Flows;

namespace KubeTriage.Capture;

/// <summary>
/// Reads capture files (any mix of pcap and pcapng, any supported link type), merges their packets in
/// time order, and reports packets, interfaces, connections, flows and what the protocol dissectors
/// find to an <see cref="ICaptureSink"/>. Each file is streamed through a fixed read buffer; memory
/// follows the number of live flows, not the file size.
/// </summary>
public sealed class CaptureEngine
{
    /// <summary>All files' read buffers together stay under this (four files get the full <see cref="CaptureOptions.ReadBufferBytes"/> each).</summary>
    private const int MaxReadBufferBytesTotal = 16 << 20;

    /// <summary>The smallest read buffer a file gets however many are read (a larger record grows it).</summary>
    private const int MinReadBufferBytes = 256 << 10;

    private readonly ICaptureSink _sink;
    private readonly IProtocolRegistry _registry;
    private readonly CaptureOptions _options;

    public CaptureEngine(ICaptureSink sink, IProtocolRegistry? registry = null, CaptureOptions? options = null)
    {
        _sink = sink;
        _registry = registry ?? NullProtocolRegistry.Instance;
        _options = options ?? CaptureOptions.Default;
    }

    /// <summary>Runs the engine over <paramref name="paths"/>; see <see cref="Run(IReadOnlyList{string}, IProgress{CaptureProgress}?, CancellationToken)"/>.</summary>
    public static CaptureRunResult Run(IReadOnlyList<string> paths, ICaptureSink sink, IProtocolRegistry registry, CaptureOptions? options = null,
        IProgress<CaptureProgress>? progress = null, CancellationToken cancellationToken = default) =>
        new CaptureEngine(sink, registry, options).Run(paths, progress, cancellationToken);

    /// <summary>Opens only the headers: every file that is missing, empty or not a capture, with the reason.</summary>
    public static IReadOnlyList<CaptureFileError> Check(IReadOnlyList<string> paths)
    {
        var errors = new List<CaptureFileError>();
        foreach (var path in paths)
        {
            if (CaptureFile.TryOpen(path, out var reader, out var error, 64 << 10))
            {
                reader!.Dispose();
            }
            else
            {
                errors.Add(error!);
            }
        }

        return errors;
    }

    /// <summary>
    /// Reads all files, merged by packet time. If any file cannot be opened as a capture, nothing is read
    /// and the result lists the rejected files. Problems inside a file (truncated tail, corrupt block) end
    /// that file and are listed in its summary. Cancellation is checked between packets and throws
    /// <see cref="OperationCanceledException"/>.
    /// </summary>
    public CaptureRunResult Run(IReadOnlyList<string> paths, IProgress<CaptureProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var sources = new List<CaptureReader>(paths.Count);
        var rejected = new List<CaptureFileError>();
        try
        {
            // Read buffers share a budget, so that a ring buffer of a hundred files does not hold a hundred full buffers.
            int bufferBytes = Math.Clamp(MaxReadBufferBytesTotal / Math.Max(1, paths.Count), MinReadBufferBytes, Math.Max(MinReadBufferBytes, _options.ReadBufferBytes));
            foreach (var path in paths)
            {
                if (CaptureFile.TryOpen(path, out var reader, out var error, bufferBytes))
                {
                    sources.Add(reader!);
                }
                else
                {
                    rejected.Add(error!);
                }
            }

            if (rejected.Count > 0)
            {
                return new CaptureRunResult([], rejected, 0, 0);
            }

            return new CaptureMerge(_sink, _registry, _options).Run(sources, progress, cancellationToken);
        }
        finally
        {
            foreach (var reader in sources)
            {
                reader.Dispose();
            }
        }
    }

    /// <summary>Runs over readers already opened (tests feed in-memory captures this way); disposes them.</summary>
    internal CaptureRunResult Run(IReadOnlyList<CaptureReader> readers, IProgress<CaptureProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        try
        {
            return new CaptureMerge(_sink, _registry, _options).Run([.. readers], progress, cancellationToken);
        }
        finally
        {
            foreach (var reader in readers)
            {
                reader.Dispose();
            }
        }
    }

    /// <summary>Starts feeding packets from a live source through the same pipeline.</summary>
    public LiveCapture StartLive(string sourceName) =>
        new(_sink, new PacketPipeline(_sink, _registry, _options), sourceName, _options.MaxDiagnosticsPerReason);
}
