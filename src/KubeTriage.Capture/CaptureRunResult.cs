using KubeTriage.Capture.Files;

namespace KubeTriage.Capture;

/// <summary>
/// What a run did. When <see cref="Rejected"/> is not empty, no file was read: each entry is a file
/// that is missing, empty or not a capture, to be reported as a user error (one line, exit 2).
/// </summary>
public sealed record CaptureRunResult(IReadOnlyList<CaptureFileSummary> Files, IReadOnlyList<CaptureFileError> Rejected, long Packets, long Bytes)
{
    public bool Succeeded => Rejected.Count == 0;
}
