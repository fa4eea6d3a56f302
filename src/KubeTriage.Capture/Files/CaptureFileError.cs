using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Files;

/// <summary>A file that cannot be read as a capture at all: a user error, reported as one line.</summary>
public sealed record CaptureFileError(string Path, WireError Reason, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}
