namespace KubeTriage.Capture.Files;

/// <summary>What one file held when the engine finished with it, including what could not be read.</summary>
public sealed record CaptureFileSummary(
    string Path,
    CaptureFormat Format,
    LinkType LinkType,
    long Packets,
    long Bytes,
    long? FirstTimeNs,
    long? LastTimeNs,
    IReadOnlyList<string> Problems)
{
    /// <summary>The file's compression ("gzip"), or null for a plain capture.</summary>
    public string? Compression { get; init; }

    /// <summary>Packets taken out of an overlay, by kind (empty when the capture has none).</summary>
    public IReadOnlyDictionary<Packets.TunnelKind, long> Tunnels { get; init; } = new Dictionary<Packets.TunnelKind, long>();
}
