using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Files;

/// <summary>
/// Classic pcap packet record header (draft-ietf-opsawg-pcap section 5): seconds, sub-second
/// fraction (micro- or nanoseconds as the file magic says), captured length, original length.
/// </summary>
public readonly record struct PcapRecordHeader(long TimeNs, int CapturedLength, int OriginalLength)
{
    public const int Size = 16;

    /// <summary>
    /// Reads a record header. A captured length above <paramref name="maxCapturedLength"/> means the
    /// header is corrupt (no sane writer produces it), which is <see cref="WireError.FileRecordTooLarge"/>.
    /// </summary>
    public static ReadResult TryRead(ReadOnlySpan<byte> bytes, bool bigEndian, bool nanosecond, int maxCapturedLength, out PcapRecordHeader header)
    {
        header = default;
        var reader = new SpanReader(bytes);
        if (!reader.TryReadUInt32(bigEndian, out uint seconds)
            || !reader.TryReadUInt32(bigEndian, out uint fraction)
            || !reader.TryReadUInt32(bigEndian, out uint captured)
            || !reader.TryReadUInt32(bigEndian, out uint original))
        {
            return ReadResult.NeedMore;
        }

        if (captured > (uint)maxCapturedLength)
        {
            return ReadResult.Malformed(WireError.FileRecordTooLarge, 8);
        }

        long fractionNs = nanosecond ? fraction : fraction * 1000L;
        header = new PcapRecordHeader(seconds * 1_000_000_000L + fractionNs, (int)captured, (int)Math.Min(original, int.MaxValue));
        return ReadResult.Parsed(Size);
    }
}
