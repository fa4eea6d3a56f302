using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Files;

/// <summary>
/// Classic pcap global header (https://www.ietf.org/archive/id/draft-ietf-opsawg-pcap-04.html, section 4).
/// The magic number says both the byte order and the timestamp unit.
/// <code>
///  0                   1                   2                   3
/// +---------------------------------------------------------------+
/// |                 Magic Number (a1b2c3d4 or a1b23c4d)           |
/// |       Major Version           |         Minor Version         |
/// |                     Reserved1 (thiszone)                      |
/// |                     Reserved2 (sigfigs)                       |
/// |                          SnapLen                              |
/// | FCS |f|         reserved      |          LinkType             |
/// +---------------------------------------------------------------+
/// </code>
/// </summary>
public readonly record struct PcapFileHeader(bool BigEndian, bool Nanosecond, ushort MajorVersion, ushort MinorVersion, int SnapLength, LinkType LinkType)
{
    public const int Size = 24;
    public const uint MagicMicroseconds = 0xA1B2C3D4;
    public const uint MagicNanoseconds = 0xA1B23C4D;

    public static ReadResult TryRead(ReadOnlySpan<byte> bytes, out PcapFileHeader header)
    {
        header = default;
        var reader = new SpanReader(bytes);
        if (!reader.TryReadUInt32BigEndian(out uint magic))
        {
            return ReadResult.NeedMore;
        }

        bool bigEndian;
        bool nano;
        switch (magic)
        {
            case MagicMicroseconds: bigEndian = true; nano = false; break;
            case MagicNanoseconds: bigEndian = true; nano = true; break;
            case 0xD4C3B2A1: bigEndian = false; nano = false; break;
            case 0x4D3CB2A1: bigEndian = false; nano = true; break;
            default: return ReadResult.Malformed(WireError.FileNotACapture, 0);
        }

        if (!reader.TryReadUInt16(bigEndian, out ushort major)
            || !reader.TryReadUInt16(bigEndian, out ushort minor)
            || !reader.TrySkip(8)
            || !reader.TryReadUInt32(bigEndian, out uint snapLength)
            || !reader.TryReadUInt32(bigEndian, out uint linkField))
        {
            return ReadResult.NeedMore;
        }

        if (major != 2)
        {
            return ReadResult.Malformed(WireError.FileUnsupportedVersion, 4);
        }

        // The top bits of the link field carry FCS information; the link type is the low 16 bits.
        header = new PcapFileHeader(bigEndian, nano, major, minor, (int)Math.Min(snapLength, int.MaxValue), (LinkType)(ushort)linkField);
        return ReadResult.Parsed(Size);
    }
}
