using BenchmarkDotNet.Attributes;
using KubeTriage.Capture.Files;

namespace KubeTriage.Benchmarks;

/// <summary>Records per second out of the readers, from an in-memory file; the reader is rewound, not rebuilt.</summary>
public class CaptureReaderBenchmarks
{
    private const int Records = 72_000;

    private CaptureReader _pcap = null!;
    private CaptureReader _pcapNg = null!;

    [GlobalSetup]
    public void Setup()
    {
        CannedCaptures.Open(CannedCaptures.Pcap, out _pcap);
        CannedCaptures.Open(CannedCaptures.PcapNg, out _pcapNg);
        int records = CannedCaptures.CountRecords(CannedCaptures.Pcap);
        if (records < Records)
        {
            throw new InvalidOperationException($"canned capture has {records} records, fewer than {Records}");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _pcap.Dispose();
        _pcapNg.Dispose();
    }

    [Benchmark(Description = "pcap record", OperationsPerInvoke = Records)]
    public long ReadPcapRecord() => ReadAll(_pcap);

    [Benchmark(Description = "pcapng enhanced packet block", OperationsPerInvoke = Records)]
    public long ReadPcapNgRecord() => ReadAll(_pcapNg);

    private static long ReadAll(CaptureReader reader)
    {
        _ = reader.Rewind();
        long sum = 0;
        for (int i = 0; i < Records && reader.MoveNext(); i++)
        {
            sum += reader.CurrentData.Length;
        }

        return sum;
    }
}
