using BenchmarkDotNet.Attributes;
using KubeTriage.Capture;
using KubeTriage.Capture.Files;
using KubeTriage.Capture.Flows;

namespace KubeTriage.Benchmarks;

/// <summary>
/// The whole per-packet path (decode, sink, flow table, TCP/UDP tracking) over generated MySQL and DNS
/// traffic, with a counting sink and no dissectors. Allocation here is per connection or flow
/// (its record, pooled state on first use), not per packet.
/// </summary>
public class PipelineBenchmarks
{
    private const int Records = 72_000;

    private CaptureReader _reader = null!;

    [GlobalSetup]
    public void Setup() => CannedCaptures.Open(CannedCaptures.Pcap, out _reader);

    [GlobalCleanup]
    public void Cleanup() => _reader.Dispose();

    [Benchmark(Description = "decode + flows, per packet", OperationsPerInvoke = Records)]
    public long Pipeline()
    {
        _ = _reader.Rewind();
        var sink = new CountingSink();
        var pipeline = new PacketPipeline(sink, NullProtocolRegistry.Instance, CaptureOptions.Default);
        var stats = new DecodeStats("canned");
        int slot = pipeline.Interfaces.AddSlot("canned", "eth0", LinkType.Ethernet);
        for (int i = 0; i < Records && _reader.MoveNext(); i++)
        {
            var record = _reader.Current;
            pipeline.Process(slot, LinkType.Ethernet, record.TimeNs, record.Frame, _reader.CurrentData, stats);
        }

        pipeline.Finish();
        return sink.Packets;
    }
}
