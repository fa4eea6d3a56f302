using BenchmarkDotNet.Running;
using KubeTriage.Benchmarks;

// Modes:
//   generate FILE SIZE_MB   write a deterministic pcap of realistic small-packet traffic (MySQL, DNS, TCP)
//   whole-file FILE... [--warm N] [--dissect]  run the capture engine over files with a counting sink and print throughput
//                                  (--dissect: with the real protocol dissectors)
//                                  (cold run; with --warm, also the best of N more runs in the same process)
//   stages FILE             time reading alone, then reading and decoding, then also finding each packet's flow
//   (anything else)         BenchmarkDotNet micro-benchmarks, e.g. --filter '*'
if (args.Length >= 3 && args[0] == "generate")
{
    var stats = TrafficGenerator.Write(args[1], long.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) << 20);
    Console.WriteLine(stats);
    return 0;
}

if (args.Length >= 2 && args[0] == "stages")
{
    return StageRun.Run(args[1]);
}

if (args.Length >= 2 && args[0] == "whole-file")
{
    return WholeFileRun.Run(args[1..]);
}

_ = BenchmarkSwitcher.FromAssembly(typeof(BenchmarkConfig).Assembly).Run(args, new BenchmarkConfig());
return 0;
