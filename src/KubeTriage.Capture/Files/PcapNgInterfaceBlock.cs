using System.Text;
using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Files;

/// <summary>
/// Interface Description Block (draft-ietf-opsawg-pcapng section 4.2): link type, snap length and
/// options, of which the engine reads <c>if_name</c> (2), <c>if_tsresol</c> (9) and <c>if_tsoffset</c> (14).
/// </summary>
public readonly record struct PcapNgInterfaceBlock(LinkType LinkType, int SnapLength, string? Name, byte TimestampResolution, long TimestampOffsetSeconds)
{
    public const ushort OptionEnd = 0;
    public const ushort OptionName = 2;
    public const ushort OptionTimestampResolution = 9;
    public const ushort OptionTimestampOffset = 14;

    /// <summary>Reads the body of an interface block (the bytes between the length and the trailer).</summary>
    public static ReadResult TryRead(ReadOnlySpan<byte> body, bool bigEndian, out PcapNgInterfaceBlock block)
    {
        block = default;
        var reader = new SpanReader(body);
        if (!reader.TryReadUInt16(bigEndian, out ushort linkType)
            || !reader.TrySkip(2)
            || !reader.TryReadUInt32(bigEndian, out uint snapLength))
        {
            return ReadResult.Malformed(WireError.FileTruncatedRecord, reader.Position);
        }

        string? name = null;
        byte resolution = 6;
        long offset = 0;

        // Each option consumes at least 4 bytes, so the walk ends within the block.
        while (reader.Remaining >= 4)
        {
            _ = reader.TryReadUInt16(bigEndian, out ushort code);
            _ = reader.TryReadUInt16(bigEndian, out ushort length);
            if (code == OptionEnd)
            {
                break;
            }

            if (!reader.TryReadBytes(length, out var value) || !reader.TrySkip((4 - (length % 4)) % 4))
            {
                return ReadResult.Malformed(WireError.FileBlockLengthMismatch, reader.Position);
            }

            switch (code)
            {
                case OptionName when length > 0:
                    name = Encoding.UTF8.GetString(value.TrimEnd((byte)0));
                    break;
                case OptionTimestampResolution when length >= 1:
                    resolution = value[0];
                    break;
                case OptionTimestampOffset when length >= 8:
                    var valueReader = new SpanReader(value);
                    _ = valueReader.TryReadUInt32(bigEndian, out uint first);
                    _ = valueReader.TryReadUInt32(bigEndian, out uint second);
                    offset = (long)(bigEndian ? ((ulong)first << 32) | second : ((ulong)second << 32) | first);
                    break;
            }
        }

        block = new PcapNgInterfaceBlock((LinkType)linkType, (int)Math.Min(snapLength, int.MaxValue), name, resolution, offset);
        return ReadResult.Parsed(body.Length);
    }
}
