using System.IO.Compression;
using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Files;

/// <summary>
/// Recognises a capture file by its magic number and opens the matching streaming reader. A gzip-compressed
/// file is decompressed as it streams; a pipe (<c>/dev/stdin</c>, a FIFO) is read as it comes. A file that
/// is missing, empty or not a capture is a <see cref="CaptureFileError"/>: the caller reports it as a user
/// error, not as a crash.
/// </summary>
public static class CaptureFile
{
    /// <summary>Says which container format the first bytes belong to, or <see cref="CaptureFormat.Unknown"/>.</summary>
    public static CaptureFormat Sniff(ReadOnlySpan<byte> head)
    {
        var reader = new SpanReader(head);
        if (!reader.TryReadUInt32BigEndian(out uint magic))
        {
            return CaptureFormat.Unknown;
        }

        return magic switch
        {
            PcapFileHeader.MagicMicroseconds or 0xD4C3B2A1 => CaptureFormat.Pcap,
            PcapFileHeader.MagicNanoseconds or 0x4D3CB2A1 => CaptureFormat.PcapNanosecond,
            PcapNgBlockType.SectionHeader => CaptureFormat.PcapNg,
            _ => CaptureFormat.Unknown,
        };
    }

    /// <summary>Opens a file by path; on failure <paramref name="error"/> says why in one line.</summary>
    public static bool TryOpen(string path, out CaptureReader? reader, out CaptureFileError? error, int bufferSize = CaptureBuffer.DefaultSize)
    {
        reader = null;
        Stream stream;
        long length;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan);
            length = stream.CanSeek ? stream.Length : -1;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            error = new CaptureFileError(path, WireError.FileIoError, $"cannot open: {e.Message}");
            return false;
        }

        return TryOpen(stream, path, length, out reader, out error, bufferSize);
    }

    /// <summary>Opens a capture held in a stream (tests, pipes). The reader owns the stream.</summary>
    public static bool TryOpen(Stream stream, string path, long length, out CaptureReader? reader, out CaptureFileError? error, int bufferSize = CaptureBuffer.DefaultSize)
    {
        reader = null;
        if (!TryDecompress(stream, path, out var source, out var compression, out var progress, out error))
        {
            stream.Dispose();
            return false;
        }

        var buffer = new CaptureBuffer(source, bufferSize, progress: progress);
        _ = buffer.Ensure(PcapFileHeader.Size);
        var head = buffer.Unread;
        var inside = compression is null ? string.Empty : $"{compression}-compressed, ";
        if (head.Length == 0)
        {
            error = new CaptureFileError(path, buffer.IoError is null ? WireError.FileEmpty : WireError.FileIoError,
                buffer.IoError is null ? (compression is null ? "the file is empty" : $"the {compression} file holds no data") : $"cannot read: {buffer.IoError}");
            buffer.Dispose();
            return false;
        }

        var format = Sniff(head);
        error = format switch
        {
            CaptureFormat.Pcap or CaptureFormat.PcapNanosecond => OpenPcap(buffer, path, length, out reader),
            CaptureFormat.PcapNg => OpenPcapNg(buffer, path, length, out reader),
            _ => new CaptureFileError(path, WireError.FileNotACapture,
                $"not a pcap or pcapng file ({inside}starts with {WireDiagnostic.HexSnippet(head[..Math.Min(8, head.Length)])})"),
        };

        if (error is not null)
        {
            buffer.Dispose();
            return false;
        }

        reader!.Compression = compression;
        return true;
    }

    /// <summary>
    /// Looks at the first bytes for a compression format and returns the stream to read the capture from:
    /// the stream itself, or a gzip decompressor over it. A stream that cannot seek (a pipe) gets the bytes it
    /// was looked at with back in front. <paramref name="progress"/> then tells how far into the compressed
    /// bytes reading is (null: the capture's own offsets are the file's).
    /// </summary>
    private static bool TryDecompress(Stream stream, string path, out Stream source, out string? compression, out Func<long>? progress, out CaptureFileError? error)
    {
        source = stream;
        compression = null;
        progress = null;
        error = null;
        var head = new byte[CaptureCompression.MagicLength];
        int length;
        long start = 0;
        try
        {
            start = stream.CanSeek ? stream.Position : 0;
            length = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            if (stream.CanSeek)
            {
                stream.Position = start;
            }
        }
        catch (Exception e) when (e is IOException or NotSupportedException or UnauthorizedAccessException)
        {
            error = new CaptureFileError(path, WireError.FileIoError, $"cannot read: {e.Message}");
            return false;
        }

        Stream raw = stream;
        Func<long> consumed = () => stream.Position - start;
        if (!stream.CanSeek)
        {
            var replay = new ReplayStream(head, length, stream);
            raw = replay;
            consumed = () => replay.Consumed;
        }

        source = raw;
        compression = CaptureCompression.Sniff(head.AsSpan(0, length));
        if (compression is null)
        {
            return true;
        }

        if (compression != CaptureCompression.Gzip)
        {
            error = new CaptureFileError(path, WireError.FileNotACapture, CaptureCompression.Unsupported(compression, path));
            return false;
        }

        source = new GZipStream(raw, CompressionMode.Decompress);
        progress = consumed;
        return true;
    }

    /// <summary>Reads only the header: the format and first link type, for listing files.</summary>
    public static CaptureFileInfo? Inspect(string path)
    {
        if (!TryOpen(path, out var reader, out _, 64 << 10) || reader is null)
        {
            return null;
        }

        using (reader)
        {
            if (reader.Interfaces.Count == 0)
            {
                _ = reader.MoveNext();
            }

            var linkType = reader.Interfaces.Count > 0 ? reader.Interfaces[0].LinkType : default;
            return new CaptureFileInfo(path, reader.Format, linkType);
        }
    }

    private static CaptureFileError? OpenPcap(CaptureBuffer buffer, string path, long length, out CaptureReader? reader)
    {
        reader = null;
        var result = PcapFileHeader.TryRead(buffer.Unread, out var header);
        if (result.IsNeedMore)
        {
            return new CaptureFileError(path, WireError.FileTruncatedHeader,
                $"truncated pcap file header: {buffer.Available} of {PcapFileHeader.Size} bytes");
        }

        if (result.IsMalformed)
        {
            return new CaptureFileError(path, result.Error, $"unsupported pcap version in the file header ({result.Error})");
        }

        buffer.Advance(PcapFileHeader.Size);
        reader = new PcapReader(path, buffer, length, header);
        return null;
    }

    private static CaptureFileError? OpenPcapNg(CaptureBuffer buffer, string path, long length, out CaptureReader? reader)
    {
        reader = null;
        _ = buffer.Ensure(PcapNgBlockHeader.MinLength + 4);
        var result = PcapNgBlockHeader.TryRead(buffer.Unread, bigEndian: false, out var header);
        if (result.IsNeedMore || (result.IsParsed && !buffer.Ensure(header.TotalLength)))
        {
            return new CaptureFileError(path, WireError.FileTruncatedHeader, "truncated pcapng section header block");
        }

        if (result.IsMalformed)
        {
            return new CaptureFileError(path, result.Error, $"corrupt pcapng section header block ({result.Error})");
        }

        var ng = new PcapNgReader(path, buffer, length);
        // The first section header is read by the reader itself; an unusable one fails here.
        if (!ng.Prime(out string? problem))
        {
            return new CaptureFileError(path, WireError.FileUnsupportedVersion, problem ?? "unusable pcapng section header");
        }

        reader = ng;
        return null;
    }
}
