using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Files;

/// <summary>
/// The frame every pcapng block shares (draft-ietf-opsawg-pcapng section 3.1): type, total length,
/// body, and the total length repeated as a trailer. A section header block also sets the byte order
/// of its section, so its length is read after the byte-order magic.
/// <code>
/// | Block Type (4) | Block Total Length (4) | Block Body ... | Block Total Length (4) |
/// </code>
/// </summary>
public readonly record struct PcapNgBlockHeader(uint Type, int TotalLength, bool BigEndian)
{
    public const int MinLength = 12;
    public const int MaxLength = 16 << 20;

    /// <summary>
    /// Reads a block's type and length. <paramref name="bigEndian"/> is the current section's order;
    /// a section header block announces its own.
    /// </summary>
    public static ReadResult TryRead(ReadOnlySpan<byte> bytes, bool bigEndian, out PcapNgBlockHeader header)
    {
        header = default;
        var reader = new SpanReader(bytes);
        if (!reader.TryReadUInt32BigEndian(out uint typeBig))
        {
            return ReadResult.NeedMore;
        }

        uint type;
        if (typeBig == PcapNgBlockType.SectionHeader)
        {
            // Palindromic type; the byte order comes from the magic after the length.
            if (!reader.TrySkip(4) || !reader.TryReadUInt32BigEndian(out uint magic))
            {
                return ReadResult.NeedMore;
            }

            if (magic == PcapNgBlockType.ByteOrderMagic)
            {
                bigEndian = true;
            }
            else if (magic == 0x4D3C2B1A)
            {
                bigEndian = false;
            }
            else
            {
                return ReadResult.Malformed(WireError.FileNotACapture, 8);
            }

            type = typeBig;
            reader = new SpanReader(bytes[4..]);
        }
        else
        {
            type = bigEndian ? typeBig : System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(typeBig);
        }

        if (!reader.TryReadUInt32(bigEndian, out uint length))
        {
            return ReadResult.NeedMore;
        }

        if (length < MinLength || length > MaxLength || length % 4 != 0)
        {
            return ReadResult.Malformed(WireError.FileBlockLengthMismatch, 4);
        }

        header = new PcapNgBlockHeader(type, (int)length, bigEndian);
        return ReadResult.Parsed(8);
    }
}
