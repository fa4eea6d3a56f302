namespace KubeTriage.Capture.Files;

/// <summary>An interface as one file declares it: its link type, snap length and name when the file names it.</summary>
public sealed record CaptureReaderInterface(LinkType LinkType, int SnapLength, string? Name);
