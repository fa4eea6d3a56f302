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
}
