using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Protocols;

/// <summary>
/// What a protocol message's <c>TryRead</c> found: <see cref="ReadResult"/> plus a fixed message.
/// Parsed (with bytes consumed), need more, or malformed (reason, offset, and a string literal saying
/// exactly what was wrong, since one reason such as <see cref="WireError.MySqlBadPacket"/> covers many
/// packet types). Malformed bytes are data in a capture, so this is returned, never thrown.
/// </summary>
internal readonly record struct ParseResult(ReadStatus Status, int Consumed, WireError Error, int Offset, string Message)
{
    public static ParseResult NeedMore => new(ReadStatus.NeedMore, 0, WireError.None, 0, string.Empty);

    public bool IsParsed => Status == ReadStatus.Parsed;

    public bool IsNeedMore => Status == ReadStatus.NeedMore;

    public bool IsMalformed => Status == ReadStatus.Malformed;

    public static ParseResult Parsed(int consumed) => new(ReadStatus.Parsed, consumed, WireError.None, 0, string.Empty);

    /// <param name="message">A string literal: malformed results never allocate.</param>
    public static ParseResult Malformed(WireError error, int offset, string message) =>
        new(ReadStatus.Malformed, 0, error, offset, message);

    public override string ToString() => Status switch
    {
        ReadStatus.Parsed => $"parsed {Consumed}",
        ReadStatus.NeedMore => "need more",
        _ => $"malformed {Error} at {Offset}: {Message}",
    };
}
