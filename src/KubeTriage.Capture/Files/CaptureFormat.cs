namespace KubeTriage.Capture.Files;

public enum CaptureFormat
{
    Unknown,
    Pcap,
    PcapNanosecond,
    PcapNg,
}
