using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Protocols;

/// <summary>Turns a malformed <see cref="ParseResult"/> into a <see cref="WireDiagnostic"/> for the sink.</summary>
internal static class ProtocolDiagnostics
{
    /// <param name="bytes">The bytes the read looked at; the snippet starts at the error offset.</param>
    /// <param name="streamOffset">Where <paramref name="bytes"/> start in the stream or datagram.</param>
    public static void Report(
        ICaptureSink sink,
        WireError reason,
        string file,
        long frame,
        string? flow,
        long streamOffset,
        ReadOnlySpan<byte> bytes,
        int errorOffset,
        string message)
    {
        var at = Math.Clamp(errorOffset, 0, bytes.Length);
        sink.OnDiagnostic(new WireDiagnostic(
            reason,
            file,
            frame,
            flow,
            streamOffset + at,
            WireDiagnostic.HexSnippet(bytes[at..]),
            message));
    }

    public static void Report(ICaptureSink sink, in ParseResult result, string file, long frame, string? flow, long streamOffset, ReadOnlySpan<byte> bytes) =>
        Report(sink, result.Error, file, frame, flow, streamOffset, bytes, result.Offset, result.Message);
}
