using System.Diagnostics;
using System.Globalization;
using KubeTriage.Capture;
using KubeTriage.Capture.Flows;

namespace KubeTriage.Benchmarks;

/// <summary>Runs the whole engine over capture files, single-threaded, and prints throughput and memory.</summary>
public static class WholeFileRun
{
    public static int Run(string[] paths)
    {
        var sink = new CountingSink();
        long bytes = paths.Sum(p => new FileInfo(p).Length);
        var stopwatch = Stopwatch.StartNew();
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var result = CaptureEngine.Run(paths, sink, NullProtocolRegistry.Instance);
        stopwatch.Stop();
        if (!result.Succeeded)
        {
            Console.Error.WriteLine(string.Join(Environment.NewLine, result.Rejected));
            return 2;
        }

        double seconds = stopwatch.Elapsed.TotalSeconds;
        double cpuSeconds = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        using var process = Process.GetCurrentProcess();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"files={paths.Length} bytes={bytes} packets={result.Packets} seconds={seconds:0.000} cpuSeconds={cpuSeconds:0.000} MBps={bytes / seconds / 1e6:0} pps={result.Packets / seconds:0} " +
            $"connections={sink.Connections} failed={sink.FailedConnections} udpFlows={sink.UdpFlows} diagnostics={sink.Diagnostics} " +
            $"allocatedMB={allocated / 1e6:0.0} gcPauseSeconds={GC.GetTotalPauseDuration().TotalSeconds:0.000} gcs={GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)} peakWorkingSetMB={process.PeakWorkingSet64 / 1e6:0}"));
        return 0;
    }
}
