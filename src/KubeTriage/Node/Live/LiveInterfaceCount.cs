namespace KubeTriage.Node.Live;

/// <summary>
/// One interface's counts: packets captured, handed to the analysis, dropped because the queue was full, and
/// what libpcap itself says it received and dropped (kernel buffer overruns).
/// </summary>
public sealed record LiveInterfaceCount(string Name, long Captured, long Analysed, long QueueDrops, long KernelReceived, long KernelDrops);
