namespace KubeTriage.Capture.Files;

/// <summary>
/// One packet record as a reader found it. <see cref="InterfaceIndex"/> is the file-local interface
/// (0 for classic pcap; the pcapng interface block's number counted across all sections).
/// <see cref="Frame"/> is the 1-based packet number within the file, as Wireshark numbers frames.
/// </summary>
public readonly record struct CaptureRecord(long TimeNs, int InterfaceIndex, int CapturedLength, int OriginalLength, long Frame);
