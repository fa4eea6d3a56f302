namespace KubeTriage.Capture.Protocols.Http2;

/// <summary>Recognises HTTP/2 in clear text by the client's connection preface (RFC 9113 §3.4), whole or its start.</summary>
internal static class Http2Shape
{
    /// <summary>True when the bytes are the preface or, in a first segment shorter than it, its first three bytes or more.</summary>
    public static bool LooksLikePreface(ReadOnlySpan<byte> data)
    {
        var preface = Http2FrameHeader.ClientPreface;
        return data.Length >= preface.Length ? data.StartsWith(preface) : data.Length >= 3 && preface.StartsWith(data);
    }
}
