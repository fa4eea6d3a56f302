using KubeTriage.Capture.Files;
using KubeTriage.Capture.Flows;
using KubeTriage.Capture.Protocols;

namespace KubeTriage.Capture.Tests.Support;

/// <summary>Runs the engine over bytes or files and keeps what it reported.</summary>
public static class CaptureRun
{
    /// <summary>Reads all records of an in-memory capture with a small buffer (to cross buffer ends).</summary>
    public static (List<(CaptureRecord Record, byte[] Data)> Records, CaptureReader Reader) ReadAll(byte[] bytes, int bufferSize = 64)
    {
        Assert.True(CaptureFile.TryOpen(new MemoryStream(bytes), "test.pcap", bytes.Length, out var reader, out var error, bufferSize), error?.ToString());
        var records = new List<(CaptureRecord, byte[])>();
        while (reader!.MoveNext())
        {
            records.Add((reader.Current, reader.CurrentData.ToArray()));
        }

        return (records, reader);
    }

    /// <summary>Writes each capture to a temporary file and runs the engine over them all.</summary>
    public static (RecordingSink Sink, CaptureRunResult Result) Files(IProtocolRegistry? registry, CaptureOptions? options, params (string Name, byte[] Bytes)[] captures)
    {
        string directory = Path.Combine(Path.GetTempPath(), $"kubetriage-capture-tests-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        try
        {
            var paths = new List<string>();
            foreach (var (name, bytes) in captures)
            {
                string path = Path.Combine(directory, name);
                File.WriteAllBytes(path, bytes);
                paths.Add(path);
            }

            var sink = new RecordingSink();
            var result = CaptureEngine.Run(paths, sink, registry ?? NullProtocolRegistry.Instance, options);
            return (sink, result);
        }
        finally
        {
            Directory.Delete(directory, true);
        }
    }

    /// <summary>Feeds Ethernet frames through the live API, one per millisecond unless times are given.</summary>
    public static RecordingSink Live(IProtocolRegistry? registry, CaptureOptions? options, params (int Interface, long TimeNs, byte[] Frame)[] packets) =>
        Live(_ => registry, options, packets);

    /// <summary>Feeds Ethernet frames through the live API with the real protocols reporting to the returned sink.</summary>
    public static RecordingSink LiveWithProtocols(CaptureOptions? options, params (int Interface, long TimeNs, byte[] Frame)[] packets) =>
        Live(sink => new ProtocolRegistry(sink), options, packets);

    private static RecordingSink Live(Func<RecordingSink, IProtocolRegistry?> registry, CaptureOptions? options, (int Interface, long TimeNs, byte[] Frame)[] packets)
    {
        var sink = new RecordingSink();
        var live = new CaptureEngine(sink, registry(sink), options).StartLive("live");
        int maxInterface = packets.Length == 0 ? 0 : packets.Max(p => p.Interface);
        for (int i = 0; i <= maxInterface; i++)
        {
            _ = live.AddInterface($"eth{i}", LinkType.Ethernet);
        }

        foreach (var (iface, time, frame) in packets)
        {
            live.OnPacket(iface, time, frame);
        }

        _ = live.Complete();
        return sink;
    }
}
