namespace KubeTriage.Capture.Files;

/// <summary>
/// Streams the packet records of one capture file. <see cref="MoveNext"/> never throws for bad
/// bytes: a truncated tail or a corrupt record ends the file with an entry in <see cref="Problems"/>,
/// and everything read before it stays valid. <see cref="CurrentData"/> points into the read
/// buffer and is valid until the next <see cref="MoveNext"/>.
/// </summary>
public abstract class CaptureReader : IDisposable
{
    /// <summary>Largest packet record accepted; larger lengths mean a corrupt record header.</summary>
    public const int MaxRecordBytes = 1 << 20;

    /// <summary>Problems kept per file; past this only a count is kept.</summary>
    public const int MaxProblems = 20;

    private readonly List<string> _problems = [];
    private readonly List<CaptureReaderInterface> _interfaces = [];
    private readonly long _firstRecordOffset;
    private int _droppedProblems;
    private int _dataOffset;
    private int _dataLength;

    private protected CaptureReader(string path, CaptureFormat format, CaptureBuffer buffer, long length)
    {
        Path = path;
        Format = format;
        Buffer = buffer;
        Length = length;
        _firstRecordOffset = buffer.Position;
    }

    public string Path { get; }

    public CaptureFormat Format { get; }

    /// <summary>Total file length in bytes, or -1 when the stream cannot say.</summary>
    public long Length { get; }

    /// <summary>How far into the file reading is, in the file's own bytes (compressed ones for a compressed file): progress.</summary>
    public long BytesRead => Buffer.SourcePosition;

    /// <summary>The file's compression (<see cref="CaptureCompression.Gzip"/>), or null for a plain capture.</summary>
    public string? Compression { get; internal set; }

    /// <summary>Interfaces declared so far; a pcapng file may add more as it is read.</summary>
    public IReadOnlyList<CaptureReaderInterface> Interfaces => _interfaces;

    /// <summary>How many interfaces are declared so far (checked after every record: a pcapng file may add one).</summary>
    public int InterfaceCount => _interfaces.Count;

    public IReadOnlyList<string> Problems => _problems;

    public CaptureRecord Current { get; private set; }

    public ReadOnlySpan<byte> CurrentData => Buffer.At(_dataOffset, _dataLength);

    /// <summary>Records returned so far.</summary>
    public long Frames { get; private set; }

    /// <summary>Time of the last record returned (used by pcapng simple packet blocks, which carry none).</summary>
    public long LastTimeNs { get; private set; }

    private protected CaptureBuffer Buffer { get; }

    /// <summary>Advances to the next packet record; false at the end of the file or at the first unreadable part.</summary>
    public abstract bool MoveNext();

    public void Dispose()
    {
        Buffer.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Starts reading again from the first record without reallocating the buffer (seekable streams only).</summary>
    internal virtual bool Rewind()
    {
        if (!Buffer.TryRewind(_firstRecordOffset))
        {
            return false;
        }

        Frames = 0;
        LastTimeNs = 0;
        Finished = false;
        _droppedProblems = 0;
        _problems.Clear();
        return true;
    }

    private protected void ClearInterfaces() => _interfaces.Clear();

    private protected void AddInterface(CaptureReaderInterface captureInterface) => _interfaces.Add(captureInterface);

    /// <summary>True once the reader reached the end or an unreadable part.</summary>
    private protected bool Finished { get; private set; }

    /// <summary>Publishes a record whose bytes start at absolute buffer index <paramref name="dataIndex"/>.</summary>
    private protected void SetCurrent(long timeNs, int interfaceIndex, int dataIndex, int capturedLength, int originalLength)
    {
        Frames++;
        LastTimeNs = timeNs;
        _dataOffset = dataIndex;
        _dataLength = capturedLength;
        Current = new CaptureRecord(timeNs, interfaceIndex, capturedLength, originalLength, Frames);
    }

    private protected void AddProblem(string problem)
    {
        if (_problems.Count < MaxProblems)
        {
            _problems.Add(problem);
        }
        else
        {
            _droppedProblems++;
        }
    }

    /// <summary>Adds the closing problems: read errors and the count of problems not listed.</summary>
    private protected bool End()
    {
        if (Finished)
        {
            return false;
        }

        Finished = true;
        if (Buffer.IoError is { } io)
        {
            _problems.Add($"read error at offset {Buffer.Position}: {io} (FileIoError)");
        }

        if (_droppedProblems > 0)
        {
            _problems.Add($"{_droppedProblems} more problems not listed");
            _droppedProblems = 0;
        }

        return false;
    }

    /// <summary>Says how a truncated tail looks, for <see cref="Problems"/>.</summary>
    private protected string TruncatedTail(string what, long needed) =>
        $"truncated {what} at offset {Buffer.Position}: needs {needed} bytes, {Buffer.Available} remain (FileTruncatedRecord); packets before it were read";
}
