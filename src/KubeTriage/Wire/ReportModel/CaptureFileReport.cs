namespace KubeTriage.Wire.ReportModel;

/// <summary>One capture file: <c>format</c> is pcap, pcap-nsec or pcapng; <c>linkType</c> the LINKTYPE_ name in lower case.</summary>
public sealed record CaptureFileReport(
    string Path,
    string Format,
    string LinkType,
    long Packets,
    long Bytes,
    string? Start,
    string? End,
    IReadOnlyList<string> Problems);
