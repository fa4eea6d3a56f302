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
    private const int ProgressEveryPackets = 1 << 14;
    private const int CancelCheckEveryPackets = 1 << 10;

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
        var sources = new List<FileSource>(paths.Count);
        var rejected = new List<CaptureFileError>();
        try
        {
            foreach (var path in paths)
            {
                if (CaptureFile.TryOpen(path, out var reader, out var error, _options.ReadBufferBytes))
                {
                    sources.Add(new FileSource(reader!));
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

            return Merge(sources, progress, cancellationToken);
        }
        finally
        {
            foreach (var source in sources)
            {
                source.Reader.Dispose();
            }
        }
    }

    /// <summary>Runs over readers already opened (tests feed in-memory captures this way); disposes them.</summary>
    internal CaptureRunResult Run(IReadOnlyList<CaptureReader> readers, IProgress<CaptureProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var sources = new List<FileSource>(readers.Count);
        try
        {
            foreach (var reader in readers)
            {
                sources.Add(new FileSource(reader));
            }

            return Merge(sources, progress, cancellationToken);
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

    private CaptureRunResult Merge(List<FileSource> sources, IProgress<CaptureProgress>? progress, CancellationToken cancellationToken)
    {
        var pipeline = new PacketPipeline(_sink, _registry, _options);
        long totalBytes = 0;
        foreach (var source in sources)
        {
            totalBytes += Math.Max(0, source.Reader.Length);
            source.HasRecord = source.Reader.MoveNext();
            var first = source.Reader.Interfaces;
            _sink.OnFileStart(new CaptureFileInfo(source.Reader.Path, source.Reader.Format, first.Count > 0 ? first[0].LinkType : default));
            RegisterInterfaces(pipeline, source);
        }

        var summaries = new CaptureFileSummary?[sources.Count];
        for (int i = 0; i < sources.Count; i++)
        {
            if (!sources[i].HasRecord)
            {
                summaries[i] = EndFile(sources[i]);
            }
        }

        long packets = 0;
        long bytes = 0;
        string currentPath = string.Empty;
        while (true)
        {
            int next = Earliest(sources);
            if (next < 0)
            {
                break;
            }

            var source = sources[next];
            var reader = source.Reader;
            var record = reader.Current;
            int slot = source.Slots[record.InterfaceIndex];
            pipeline.Process(slot, source.LinkTypes[record.InterfaceIndex], record.TimeNs, record.Frame, reader.CurrentData, source.Stats);
            packets++;
            bytes += record.CapturedLength;
            currentPath = reader.Path;

            source.HasRecord = reader.MoveNext();
            if (reader.Interfaces.Count != source.Slots.Count)
            {
                RegisterInterfaces(pipeline, source);
            }

            if (!source.HasRecord)
            {
                summaries[next] = EndFile(source);
            }

            if (packets % CancelCheckEveryPackets == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (progress is not null && packets % ProgressEveryPackets == 0)
                {
                    progress.Report(new CaptureProgress(BytesRead(sources), totalBytes, packets, currentPath));
                }
            }
        }

        pipeline.Finish();
        progress?.Report(new CaptureProgress(totalBytes, totalBytes, packets, currentPath));
        return new CaptureRunResult([.. summaries.Select(s => s!)], [], packets, bytes);
    }

    /// <summary>The source whose current packet is earliest; ties go to the file listed first. -1 when all are done.</summary>
    private static int Earliest(List<FileSource> sources)
    {
        int best = -1;
        long bestTime = long.MaxValue;
        for (int i = 0; i < sources.Count; i++)
        {
            var source = sources[i];
            if (source.HasRecord && (best < 0 || source.Reader.Current.TimeNs < bestTime))
            {
                best = i;
                bestTime = source.Reader.Current.TimeNs;
            }
        }

        return best;
    }

    private static long BytesRead(List<FileSource> sources)
    {
        long sum = 0;
        foreach (var source in sources)
        {
            sum += source.Reader.BytesRead;
        }

        return sum;
    }

    private static void RegisterInterfaces(PacketPipeline pipeline, FileSource source)
    {
        var declared = source.Reader.Interfaces;
        string fileName = Path.GetFileName(source.Reader.Path);
        for (int i = source.Slots.Count; i < declared.Count; i++)
        {
            var item = declared[i];
            string name = item.Name ?? (declared.Count == 1 && source.Reader.Format != CaptureFormat.PcapNg ? fileName : $"{fileName}#{i}");
            source.Slots.Add(pipeline.Interfaces.AddSlot(source.Reader.Path, name, item.LinkType));
            source.LinkTypes.Add(item.LinkType);
        }
    }

    private CaptureFileSummary EndFile(FileSource source)
    {
        var reader = source.Reader;
        var problems = new List<string>(reader.Problems);
        source.Stats.AddProblems(problems, _options.MaxDiagnosticsPerReason);
        var linkType = reader.Interfaces.Count > 0 ? reader.Interfaces[0].LinkType : default;
        var summary = source.Stats.ToSummary(reader.Format, linkType, problems);
        _sink.OnFileEnd(summary);
        return summary;
    }

    private sealed class FileSource(CaptureReader reader)
    {
        public CaptureReader Reader { get; } = reader;

        public DecodeStats Stats { get; } = new(reader.Path);

        public List<int> Slots { get; } = [];

        public List<LinkType> LinkTypes { get; } = [];

        public bool HasRecord { get; set; }
    }
}
