namespace KubeTriage.Capture.Files;

/// <summary>
/// A read-only stream that first gives back bytes already taken from <paramref name="inner"/> (to recognise
/// the format of a pipe, which cannot seek back), then the rest of it. Counts every byte taken from the
/// inner stream, so progress through a compressed file can be told in the file's own bytes.
/// </summary>
internal sealed class ReplayStream(byte[] head, int headLength, Stream inner) : Stream
{
    private int _headOffset;

    /// <summary>Bytes taken from the inner stream so far, the replayed head included.</summary>
    public long Consumed { get; private set; } = headLength;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_headOffset < headLength)
        {
            int n = Math.Min(buffer.Length, headLength - _headOffset);
            head.AsSpan(_headOffset, n).CopyTo(buffer);
            _headOffset += n;
            return n;
        }

        int read = inner.Read(buffer);
        Consumed += read;
        return read;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
