namespace KubeTriage.Capture.Files;

/// <summary>A capture file as sniffed from its first bytes: path, container format and (first) link type.</summary>
public sealed record CaptureFileInfo(string Path, CaptureFormat Format, LinkType LinkType);
