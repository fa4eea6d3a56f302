namespace KubeTriage.Capture.Protocols;

/// <summary>The three outcomes of every wire <c>TryRead</c>.</summary>
internal enum ReadStatus : byte
{
    /// <summary>Not enough bytes yet; nothing was consumed.</summary>
    NeedMore,

    /// <summary>One message read; <see cref="ReadResult.Consumed"/> says how many bytes it took.</summary>
    Parsed,

    /// <summary>The bytes cannot be this message; <see cref="ReadResult.Error"/> and <see cref="ReadResult.Offset"/> say why and where.</summary>
    Malformed,
}
