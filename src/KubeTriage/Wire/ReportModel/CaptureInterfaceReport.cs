namespace KubeTriage.Wire.ReportModel;

/// <summary>One interface name: all packets, those carrying a pod address, and which way they went.</summary>
public sealed record CaptureInterfaceReport(
    string Name,
    long Packets,
    long PodPackets,
    long FromPodPackets,
    long ToPodPackets,
    string File);
