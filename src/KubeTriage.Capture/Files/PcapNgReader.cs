using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Files;

/// <summary>
/// Streams a pcapng file: sections (each with its own byte order and interfaces), interface blocks,
/// enhanced, simple and obsolete packet blocks; every other block is skipped by its length.
/// A block whose length or trailer is wrong ends the file with a problem entry.
/// </summary>
public sealed class PcapNgReader : CaptureReader
{
    private readonly List<PcapNgTimestamp> _timestamps = [];
    private bool _bigEndian;
    private int _sectionBase;
    private int _sections;

    internal PcapNgReader(string path, CaptureBuffer buffer, long length)
        : base(path, CaptureFormat.PcapNg, buffer, length)
    {
    }

    public int Sections => _sections;

    internal override bool Rewind()
    {
        if (!base.Rewind())
        {
            return false;
        }

        ClearInterfaces();
        _timestamps.Clear();
        _bigEndian = false;
        _sectionBase = 0;
        _sections = 0;
        _ = Buffer.Ensure(PcapNgBlockHeader.MinLength + 4);
        return Prime(out _);
    }

    /// <summary>Reads the first section header; false with the reason when the file cannot be read at all.</summary>
    internal bool Prime(out string? problem)
    {
        problem = null;
        var result = PcapNgBlockHeader.TryRead(Buffer.Unread, _bigEndian, out var header);
        if (!result.IsParsed || header.Type != PcapNgBlockType.SectionHeader || !Buffer.Ensure(header.TotalLength))
        {
            problem = "truncated or corrupt pcapng section header block";
            return false;
        }

        var block = Buffer.Unread[..header.TotalLength];
        var trailer = new SpanReader(block[^4..]);
        _ = trailer.TryReadUInt32(header.BigEndian, out uint trailerLength);
        if (trailerLength != (uint)header.TotalLength)
        {
            problem = $"pcapng section header block length {header.TotalLength} does not match its trailer {trailerLength}";
            return false;
        }

        if (!StartSection(header, block[8..^4], 0))
        {
            problem = Problems.Count > 0 ? Problems[^1] : "unusable pcapng section header block";
            return false;
        }

        Buffer.Advance(header.TotalLength);
        return true;
    }

    public override bool MoveNext()
    {
        if (Finished)
        {
            return false;
        }

        // Each pass consumes one whole block of at least 12 bytes, so the loop ends with the file.
        while (true)
        {
            if (!Buffer.Ensure(PcapNgBlockHeader.MinLength))
            {
                if (Buffer.Available > 0)
                {
                    AddProblem(TruncatedTail("block header", PcapNgBlockHeader.MinLength));
                }

                return End();
            }

            var result = PcapNgBlockHeader.TryRead(Buffer.Unread, _bigEndian, out var header);
            if (!result.IsParsed)
            {
                AddProblem($"corrupt block at offset {Buffer.Position} after frame {Frames} ({result.Error}); the rest of the file was not read");
                return End();
            }

            if (!Buffer.Ensure(header.TotalLength))
            {
                AddProblem(TruncatedTail("block", header.TotalLength));
                return End();
            }

            var block = Buffer.Unread[..header.TotalLength];
            var trailer = new SpanReader(block[^4..]);
            _ = trailer.TryReadUInt32(header.BigEndian, out uint trailerLength);
            if (trailerLength != (uint)header.TotalLength)
            {
                AddProblem($"block at offset {Buffer.Position} says {header.TotalLength} bytes but its trailer says {trailerLength} "
                    + $"({WireError.FileBlockLengthMismatch}); the rest of the file was not read");
                return End();
            }

            var body = block[8..^4];
            int bodyIndex = Buffer.ReadIndex + 8;
            long blockOffset = Buffer.Position;
            Buffer.Advance(header.TotalLength);
            switch (header.Type)
            {
                case PcapNgBlockType.SectionHeader:
                    if (!StartSection(header, body, blockOffset))
                    {
                        return End();
                    }

                    break;
                case PcapNgBlockType.InterfaceDescription:
                    ReadInterface(body, blockOffset);
                    break;
                case PcapNgBlockType.EnhancedPacket:
                case PcapNgBlockType.SimplePacket:
                case PcapNgBlockType.ObsoletePacket:
                    if (ReadPacket(header.Type, body, bodyIndex, blockOffset))
                    {
                        return true;
                    }

                    break;
            }
        }
    }

    private bool StartSection(PcapNgBlockHeader header, ReadOnlySpan<byte> body, long offset)
    {
        var reader = new SpanReader(body);
        _ = reader.TrySkip(4);
        if (!reader.TryReadUInt16(header.BigEndian, out ushort major))
        {
            AddProblem($"section header at offset {offset} is too short ({WireError.FileTruncatedRecord}); the rest of the file was not read");
            return false;
        }

        if (major != 1)
        {
            AddProblem($"section at offset {offset} has version {major} ({WireError.FileUnsupportedVersion}); the rest of the file was not read");
            return false;
        }

        _bigEndian = header.BigEndian;
        _sectionBase = Interfaces.Count;
        _sections++;
        return true;
    }

    private void ReadInterface(ReadOnlySpan<byte> body, long offset)
    {
        var result = PcapNgInterfaceBlock.TryRead(body, _bigEndian, out var block);
        if (!result.IsParsed)
        {
            AddProblem($"interface block at offset {offset} is corrupt ({result.Error}); its packets are skipped");
            block = new PcapNgInterfaceBlock((LinkType)ushort.MaxValue, 0, null, 6, 0);
        }

        if (!PcapNgTimestamp.TryCreate(block.TimestampResolution, block.TimestampOffsetSeconds, out var timestamp))
        {
            AddProblem($"interface block at offset {offset} has timestamp resolution {block.TimestampResolution}; microseconds assumed");
            _ = PcapNgTimestamp.TryCreate(6, block.TimestampOffsetSeconds, out timestamp);
        }

        _timestamps.Add(timestamp);
        AddInterface(new CaptureReaderInterface(block.LinkType, block.SnapLength, block.Name));
    }

    private bool ReadPacket(uint type, ReadOnlySpan<byte> body, int bodyIndex, long offset)
    {
        int snapLength = type == PcapNgBlockType.SimplePacket && _sectionBase < Interfaces.Count ? Interfaces[_sectionBase].SnapLength : 0;
        var result = PcapNgPacketBlock.TryRead(body, type, _bigEndian, snapLength, out var packet);
        if (!result.IsParsed)
        {
            AddProblem($"packet block at offset {offset} is corrupt ({result.Error}); skipped");
            return false;
        }

        int index = _sectionBase + packet.InterfaceId;
        if (packet.InterfaceId >= Interfaces.Count - _sectionBase)
        {
            AddProblem($"packet block at offset {offset} names interface {packet.InterfaceId}, which its section does not declare; skipped");
            return false;
        }

        long timeNs = packet.HasTimestamp ? _timestamps[index].ToNanoseconds(packet.Timestamp) : LastTimeNs;
        SetCurrent(timeNs, index, bodyIndex + packet.DataOffset, packet.CapturedLength, packet.OriginalLength);
        return true;
    }
}
