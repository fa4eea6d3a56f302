using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Files;

/// <summary>Streams a classic pcap file: one global header, then records of header plus bytes.</summary>
public sealed class PcapReader : CaptureReader
{
    private readonly PcapFileHeader _header;
    private readonly int _maxCaptured;

    internal PcapReader(string path, CaptureBuffer buffer, long length, PcapFileHeader header)
        : base(path, header.Nanosecond ? CaptureFormat.PcapNanosecond : CaptureFormat.Pcap, buffer, length)
    {
        _header = header;
        // Writers may exceed a small snap length slightly, never the record cap.
        _maxCaptured = Math.Min(MaxRecordBytes, Math.Max(header.SnapLength, 262_144));
        AddInterface(new CaptureReaderInterface(header.LinkType, header.SnapLength, null));
    }

    public PcapFileHeader Header => _header;

    public override bool MoveNext()
    {
        if (Finished)
        {
            return false;
        }

        if (!Buffer.Ensure(PcapRecordHeader.Size))
        {
            if (Buffer.Available > 0)
            {
                AddProblem(TruncatedTail("record header", PcapRecordHeader.Size));
            }

            return End();
        }

        var result = PcapRecordHeader.TryRead(Buffer.Unread, _header.BigEndian, _header.Nanosecond, _maxCaptured, out var record);
        if (result.IsMalformed)
        {
            AddProblem($"corrupt record header at offset {Buffer.Position} after frame {Frames}: captured length "
                + $"{CapturedLengthAt()} exceeds {_maxCaptured} ({result.Error}); the rest of the file was not read");
            return End();
        }

        int total = PcapRecordHeader.Size + record.CapturedLength;
        if (!Buffer.Ensure(total))
        {
            AddProblem(TruncatedTail($"frame {Frames + 1}", total));
            return End();
        }

        SetCurrent(record.TimeNs, 0, Buffer.ReadIndex + PcapRecordHeader.Size, record.CapturedLength, Math.Max(record.OriginalLength, record.CapturedLength));
        Buffer.Advance(total);
        return true;
    }

    private uint CapturedLengthAt()
    {
        var reader = new SpanReader(Buffer.Unread);
        _ = reader.TrySkip(8);
        return reader.TryReadUInt32(_header.BigEndian, out uint value) ? value : 0;
    }
}
