namespace KubeTriage.Capture.Primitives;

/// <summary>
/// What went wrong, where: the reason, the frame number (1-based, per file), the flow if any,
/// the byte offset in the frame or stream, and a short escaped hex snippet.
/// </summary>
public sealed record WireDiagnostic(WireError Reason, string File, long Frame, string? Flow, long Offset, string Snippet, string Message)
{
    public const int MaxSnippetBytes = 32;

    public static string HexSnippet(ReadOnlySpan<byte> bytes) =>
        Convert.ToHexString(bytes[..Math.Min(bytes.Length, MaxSnippetBytes)]).ToLowerInvariant()
        + (bytes.Length > MaxSnippetBytes ? "…" : string.Empty);

    public override string ToString() =>
        $"{File}: frame {Frame}{(Flow is null ? string.Empty : $" ({Flow})")}, offset {Offset}: {Reason}: {Message}";
}
