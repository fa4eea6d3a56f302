namespace KubeTriage.Capture.Files;

/// <summary>
/// One interface packets were seen on: a pcapng interface block (with its name when the block has one),
/// a Linux cooked v2 interface index, or the file itself for single-interface formats.
/// <see cref="Id"/> is unique across all files of one run.
/// </summary>
public sealed record CaptureInterface(int Id, string Name, string FilePath, LinkType LinkType);
