namespace KubeTriage.Capture.Primitives;

/// <summary>
/// Outcome of one read: parsed with the bytes consumed, need-more with nothing consumed,
/// or malformed with the reason and the byte offset where the reader gave up.
/// Malformed is a value, not an exception: in a capture, bad bytes are data.
/// </summary>
public readonly record struct ReadResult(ReadStatus Status, int Consumed, WireError Error, int Offset)
{
    public static ReadResult NeedMore => new(ReadStatus.NeedMore, 0, WireError.None, 0);

    public bool IsParsed => Status == ReadStatus.Parsed;

    public bool IsNeedMore => Status == ReadStatus.NeedMore;

    public bool IsMalformed => Status == ReadStatus.Malformed;

    public static ReadResult Parsed(int consumed) => new(ReadStatus.Parsed, consumed, WireError.None, 0);

    public static ReadResult Malformed(WireError error, int offset) => new(ReadStatus.Malformed, 0, error, offset);

    public override string ToString() => Status switch
    {
        ReadStatus.Parsed => $"parsed {Consumed} bytes",
        ReadStatus.NeedMore => "need more bytes",
        _ => $"malformed at offset {Offset}: {Error}",
    };
}
