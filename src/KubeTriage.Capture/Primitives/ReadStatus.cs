namespace KubeTriage.Capture.Primitives;

/// <summary>The three outcomes of every read: parsed, need more bytes, or malformed.</summary>
public enum ReadStatus : byte
{
    /// <summary>A whole unit was read; <see cref="ReadResult.Consumed"/> says how many bytes it took.</summary>
    Parsed,
    /// <summary>The bytes so far are a valid prefix; nothing was consumed.</summary>
    NeedMore,
    /// <summary>The bytes cannot be what they claim; <see cref="ReadResult.Error"/> says why.</summary>
    Malformed,
}
