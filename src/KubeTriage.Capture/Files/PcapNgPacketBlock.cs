using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Files;

/// <summary>
/// The packet-carrying pcapng blocks (draft-ietf-opsawg-pcapng sections 4.3, 4.4 and appendix A):
/// <code>
/// Enhanced (6): | Interface ID (4) | Timestamp high (4) | low (4) | Captured len (4) | Original len (4) | data, padded | options |
/// Simple (3):   | Original len (4) | data, padded (captured length = min(original, body, snaplen)) |
/// Obsolete (2): | Interface ID (2) | Drops (2) | Timestamp high (4) | low (4) | Captured len (4) | Original len (4) | data |
/// </code>
/// A simple packet block belongs to the section's first interface and has no timestamp.
/// </summary>
public readonly record struct PcapNgPacketBlock(int InterfaceId, bool HasTimestamp, ulong Timestamp, int DataOffset, int CapturedLength, int OriginalLength)
{
    /// <summary>Reads a packet block's body; <paramref name="simpleSnapLength"/> bounds a simple block's data.</summary>
    public static ReadResult TryRead(ReadOnlySpan<byte> body, uint blockType, bool bigEndian, int simpleSnapLength, out PcapNgPacketBlock block)
    {
        block = default;
        var reader = new SpanReader(body);
        if (blockType == PcapNgBlockType.SimplePacket)
        {
            if (!reader.TryReadUInt32(bigEndian, out uint original))
            {
                return ReadResult.Malformed(WireError.FileTruncatedRecord, 0);
            }

            long captured = Math.Min(Math.Min(original, (uint)reader.Remaining), simpleSnapLength > 0 ? simpleSnapLength : int.MaxValue);
            block = new PcapNgPacketBlock(0, false, 0, reader.Position, (int)captured, (int)Math.Min(original, int.MaxValue));
            return ReadResult.Parsed(body.Length);
        }

        uint interfaceId;
        if (blockType == PcapNgBlockType.ObsoletePacket)
        {
            if (!reader.TryReadUInt16(bigEndian, out ushort shortId) || !reader.TrySkip(2))
            {
                return ReadResult.Malformed(WireError.FileTruncatedRecord, reader.Position);
            }

            interfaceId = shortId;
        }
        else if (!reader.TryReadUInt32(bigEndian, out interfaceId))
        {
            return ReadResult.Malformed(WireError.FileTruncatedRecord, reader.Position);
        }

        if (!reader.TryReadUInt32(bigEndian, out uint high)
            || !reader.TryReadUInt32(bigEndian, out uint low)
            || !reader.TryReadUInt32(bigEndian, out uint capturedLength)
            || !reader.TryReadUInt32(bigEndian, out uint originalLength))
        {
            return ReadResult.Malformed(WireError.FileTruncatedRecord, reader.Position);
        }

        if (capturedLength > (uint)reader.Remaining || interfaceId > int.MaxValue)
        {
            return ReadResult.Malformed(WireError.FileBlockLengthMismatch, reader.Position - 8);
        }

        block = new PcapNgPacketBlock((int)interfaceId, true, ((ulong)high << 32) | low, reader.Position, (int)capturedLength,
            (int)Math.Min(Math.Max(originalLength, capturedLength), int.MaxValue));
        return ReadResult.Parsed(body.Length);
    }
}
