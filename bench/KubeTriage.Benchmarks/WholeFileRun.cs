using System.Diagnostics;
using System.Globalization;
using KubeTriage.Capture;
using KubeTriage.Capture.Flows;
using KubeTriage.Capture.Protocols;

namespace KubeTriage.Benchmarks;

/// <summary>
/// Runs the whole engine over capture files, single-threaded, and prints throughput and memory of that
/// first (cold) run, JIT compilation included. With <c>--warm N</c> it then runs N more times in the same
/// process and prints the best of those too: the engine's steady-state throughput, which does not depend
/// on how fast the runtime compiles the hot path on a busy machine. With <c>--dissect</c> the engine runs
/// with the real protocol dissectors (DNS, MySQL, HTTP, TLS) instead of none, still into a counting sink:
/// the engine's share of the <c>capture</c> verb, without the evidence builder.
/// </summary>
public static class WholeFileRun
{
    public static int Run(string[] args)
    {
        int warm = 0;
        bool dissect = args.Contains("--dissect");
        args = [.. args.Where(a => a != "--dissect")];
        int at = Array.IndexOf(args, "--warm");
        if (at >= 0)
        {
            warm = int.Parse(args[at + 1], CultureInfo.InvariantCulture);
            args = [.. args[..at], .. args[(at + 2)..]];
        }

        int status = RunOnce(args, dissect, out long bytes);
        if (status != 0 || warm <= 0)
        {
            return status;
        }

        double best = double.MaxValue;
        long packets = 0;
        for (int i = 0; i < warm; i++)
        {
            var stopwatch = Stopwatch.StartNew();
            var sink = new CountingSink();
            var result = CaptureEngine.Run(args, sink, Registry(sink, dissect));
            best = Math.Min(best, stopwatch.Elapsed.TotalSeconds);
            packets = result.Packets;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"warm runs={warm} bestSeconds={best:0.000} MBps={bytes / best / 1e6:0} pps={packets / best:0}"));
        return 0;
    }

    private static IProtocolRegistry Registry(CountingSink sink, bool dissect) =>
        dissect ? new ProtocolRegistry(sink) : NullProtocolRegistry.Instance;

    private static int RunOnce(string[] paths, bool dissect, out long bytes)
    {
        var sink = new CountingSink();
        bytes = paths.Sum(p => new FileInfo(p).Length);
        var stopwatch = Stopwatch.StartNew();
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var result = CaptureEngine.Run(paths, sink, Registry(sink, dissect));
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
            $"connections={sink.Connections} failed={sink.FailedConnections} udpFlows={sink.UdpFlows} transactions={sink.Transactions} diagnostics={sink.Diagnostics} " +
            $"allocatedMB={allocated / 1e6:0.0} gcPauseSeconds={GC.GetTotalPauseDuration().TotalSeconds:0.000} gcs={GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)} peakWorkingSetMB={process.PeakWorkingSet64 / 1e6:0}"));
        return 0;
    }
}
