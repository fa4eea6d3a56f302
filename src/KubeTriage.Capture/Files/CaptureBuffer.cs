namespace KubeTriage.Capture.Files;

/// <summary>
/// A large read buffer over a stream that hands out spans into itself. Records are read in
/// place; the buffer is refilled (remaining bytes moved to the front) only when the next record
/// does not fit, so reading a multi-gigabyte file allocates nothing per packet. A record larger
/// than the buffer grows it once, up to the caller's cap.
/// </summary>
internal sealed class CaptureBuffer : IDisposable
{
    public const int DefaultSize = 1 << 20;

    /// <summary>Largest read from a decompressor: bytes decompressed in a read that then fails are lost.</summary>
    private const int MaxDecompressedRead = 8 << 10;

    private readonly Stream _stream;
    private readonly bool _ownsStream;
    private readonly Func<long>? _progress;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private long _bufferOffset;
    private bool _endOfStream;

    public CaptureBuffer(Stream stream, int size = DefaultSize, bool ownsStream = true, Func<long>? progress = null)
    {
        _stream = stream;
        _ownsStream = ownsStream;
        _progress = progress;
        _buffer = new byte[Math.Max(size, 64)];
    }

    /// <summary>File offset of the next unread byte (in a compressed file: of the decompressed capture).</summary>
    public long Position => _bufferOffset + _start;

    /// <summary>How far into the file itself reading is: <see cref="Position"/>, or the compressed bytes taken so far.</summary>
    public long SourcePosition => _progress?.Invoke() ?? Position;

    public int Available => _end - _start;

    /// <summary>Set when the stream failed; the buffer then behaves as if the stream ended.</summary>
    public string? IoError { get; private set; }

    public ReadOnlySpan<byte> Unread => _buffer.AsSpan(_start, _end - _start);

    /// <summary>Index in the buffer of the next unread byte; an index stays valid until the next <see cref="Ensure"/>.</summary>
    public int ReadIndex => _start;

    /// <summary>Bytes at an absolute buffer index taken from <see cref="ReadIndex"/>.</summary>
    public ReadOnlySpan<byte> At(int index, int length) => _buffer.AsSpan(index, length);

    /// <summary>
    /// Makes at least <paramref name="count"/> unread bytes available. False when the stream ends first
    /// (then <see cref="Available"/> says how many there are).
    /// </summary>
    public bool Ensure(int count)
    {
        if (count <= _end - _start)
        {
            return true;
        }

        if (count > _buffer.Length - _start)
        {
            Compact(count);
        }

        while (_end - _start < count && !_endOfStream)
        {
            int read;
            try
            {
                read = _stream.Read(_buffer, _end, Math.Min(_buffer.Length - _end, _progress is null ? int.MaxValue : MaxDecompressedRead));
            }
            catch (IOException e)
            {
                IoError = e.Message;
                read = 0;
            }
            catch (InvalidDataException)
            {
                // A compressed file whose data is corrupt: what was decompressed before it stays valid (reads
                // from a decompressor are kept small, so little is lost with the read that failed).
                IoError = $"corrupt compressed data near byte {SourcePosition} of the file";
                read = 0;
            }

            if (read <= 0)
            {
                _endOfStream = true;
                break;
            }

            _end += read;
        }

        return _end - _start >= count;
    }

    public void Advance(int count) => _start += count;

    /// <summary>Moves back to a file offset on a seekable stream, keeping the buffer (benchmarks replay one file).</summary>
    public bool TryRewind(long position)
    {
        if (!_stream.CanSeek)
        {
            return false;
        }

        _stream.Position = position;
        _bufferOffset = position;
        _start = 0;
        _end = 0;
        _endOfStream = false;
        IoError = null;
        return true;
    }

    public void Dispose()
    {
        if (_ownsStream)
        {
            _stream.Dispose();
        }
    }

    private void Compact(int count)
    {
        int unread = _end - _start;
        if (count > _buffer.Length)
        {
            var larger = new byte[Math.Max(count, _buffer.Length * 2)];
            Buffer.BlockCopy(_buffer, _start, larger, 0, unread);
            _buffer = larger;
        }
        else if (unread > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, unread);
        }

        _bufferOffset += _start;
        _start = 0;
        _end = unread;
    }
}
