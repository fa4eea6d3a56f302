using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Protocols;

/// <summary>
/// What a <c>TryRead</c> found: parsed (with bytes consumed), need more, or malformed (reason, offset
/// and a fixed message). Malformed bytes are data in a capture, so this is returned, never thrown.
/// </summary>
internal readonly record struct ReadResult(ReadStatus Status, int Consumed, WireError Error, int Offset, string Message)
{
    public static ReadResult NeedMore => new(ReadStatus.NeedMore, 0, WireError.None, 0, string.Empty);

    public bool IsParsed => Status == ReadStatus.Parsed;

    public bool IsNeedMore => Status == ReadStatus.NeedMore;

    public bool IsMalformed => Status == ReadStatus.Malformed;

    public static ReadResult Parsed(int consumed) => new(ReadStatus.Parsed, consumed, WireError.None, 0, string.Empty);

    /// <param name="message">A string literal: malformed results never allocate.</param>
    public static ReadResult Malformed(WireError error, int offset, string message) =>
        new(ReadStatus.Malformed, 0, error, offset, message);

    public override string ToString() => Status switch
    {
        ReadStatus.Parsed => $"parsed {Consumed}",
        ReadStatus.NeedMore => "need more",
        _ => $"malformed {Error} at {Offset}: {Message}",
    };
}
