using System.Diagnostics;
using KubeTriage.Capture.Files;
using KubeTriage.Capture.Flows;

namespace KubeTriage.Capture;

/// <summary>
/// One run over opened files: announces files and interfaces, merges the files' packets by time
/// (each file streamed; the earliest current packet goes next, ties to the file listed first),
/// sends each through the <see cref="PacketPipeline"/>, reports progress by bytes read (every 16K packets, and
/// at least every 200 ms for a slow source such as a pipe) and honours cancellation between packets, and
/// closes each file with its summary.
/// </summary>
internal sealed class CaptureMerge(ICaptureSink sink, IProtocolRegistry registry, CaptureOptions options)
{
    private const int ProgressEveryPackets = 1 << 14;
    private const int CheckEveryPackets = 1 << 6;

    /// <summary>A slow source (a pipe from tcpdump) still reports progress about this often (looked at every 64 packets).</summary>
    private static readonly long ProgressIntervalTicks = Stopwatch.Frequency / 5;

    private readonly ICaptureSink _sink = sink;
    private readonly IProtocolRegistry _registry = registry;
    private readonly CaptureOptions _options = options;

    public CaptureRunResult Run(List<CaptureReader> readers, IProgress<CaptureProgress>? progress, CancellationToken cancellationToken)
    {
        var sources = new List<FileSource>(readers.Count);
        foreach (var reader in readers)
        {
            sources.Add(new FileSource(reader));
        }

        return Merge(sources, progress, cancellationToken);
    }

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
        long lastProgress = Stopwatch.GetTimestamp();
        string currentPath = string.Empty;
        int next = -1;
        long runnerUpTime = 0;
        int runnerUp = -1;
        while (true)
        {
            // The source that was earliest stays so until its packets pass the runner-up's current one: one scan
            // per switch, not per packet (a ring buffer of 50 files is read file after file).
            if (next < 0 || !sources[next].HasRecord || !StillFirst(sources[next].Reader.Current.TimeNs, next, runnerUpTime, runnerUp))
            {
                next = Earliest(sources, out runnerUpTime, out runnerUp);
                if (next < 0)
                {
                    break;
                }
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
            if (reader.InterfaceCount != source.Slots.Count)
            {
                RegisterInterfaces(pipeline, source);
            }

            if (!source.HasRecord)
            {
                summaries[next] = EndFile(source);
            }

            if (packets % CheckEveryPackets == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (progress is not null && (packets % ProgressEveryPackets == 0 || Stopwatch.GetTimestamp() - lastProgress >= ProgressIntervalTicks))
                {
                    lastProgress = Stopwatch.GetTimestamp();
                    progress.Report(new CaptureProgress(BytesRead(sources), totalBytes, packets, currentPath));
                }
            }
        }

        pipeline.Finish();
        progress?.Report(new CaptureProgress(totalBytes, totalBytes, packets, currentPath));
        return new CaptureRunResult([.. summaries.Select(s => s!)], [], packets, bytes);
    }

    /// <summary>
    /// The source whose current packet is earliest; ties go to the file listed first. -1 when all are done.
    /// <paramref name="runnerUp"/> is the next one by the same order (-1 when there is none), with its packet's time.
    /// </summary>
    private static int Earliest(List<FileSource> sources, out long runnerUpTime, out int runnerUp)
    {
        int best = -1;
        long bestTime = 0;
        runnerUp = -1;
        runnerUpTime = 0;
        for (int i = 0; i < sources.Count; i++)
        {
            var source = sources[i];
            if (!source.HasRecord)
            {
                continue;
            }

            long time = source.Reader.Current.TimeNs;
            if (best < 0 || time < bestTime)
            {
                (runnerUp, runnerUpTime) = (best, bestTime);
                (best, bestTime) = (i, time);
            }
            else if (runnerUp < 0 || time < runnerUpTime)
            {
                (runnerUp, runnerUpTime) = (i, time);
            }
        }

        return best;
    }

    /// <summary>True while source <paramref name="index"/>'s packet at <paramref name="timeNs"/> still goes before the runner-up's.</summary>
    private static bool StillFirst(long timeNs, int index, long runnerUpTime, int runnerUp) =>
        runnerUp < 0 || timeNs < runnerUpTime || (timeNs == runnerUpTime && index < runnerUp);

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
        var summary = source.Stats.ToSummary(reader.Format, linkType, problems) with { Compression = reader.Compression };
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
