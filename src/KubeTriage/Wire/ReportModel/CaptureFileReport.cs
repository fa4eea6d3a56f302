namespace KubeTriage.Wire.ReportModel;

/// <summary>
/// One capture file: <c>format</c> is pcap, pcap-nsec or pcapng; <c>linkType</c> the LINKTYPE_ name in lower case;
/// <c>compression</c> is "gzip" for a compressed file, else null.
/// </summary>
public sealed record CaptureFileReport(
    string Path,
    string Format,
    string LinkType,
    long Packets,
    long Bytes,
    string? Start,
    string? End,
    IReadOnlyList<string> Problems)
{
    public string? Compression { get; init; }

    /// <summary>Packets decoded from inside an overlay, by kind ("vxlan", "geneve", "ipip", "gre"); empty when none.</summary>
    public IReadOnlyDictionary<string, long> TunnelledPackets { get; init; } = new Dictionary<string, long>();
}
