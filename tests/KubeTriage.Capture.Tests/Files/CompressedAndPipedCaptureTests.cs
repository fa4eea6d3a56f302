using System.IO.Compression;
using KubeTriage.Capture.Files;
using KubeTriage.Capture.Primitives;
using KubeTriage.Capture.Protocols;
using KubeTriage.Capture.Tests.Protocols.Support;
using KubeTriage.Capture.Tests.Support;

namespace KubeTriage.Capture.Tests.Files;

/// <summary>
/// Captures that arrive gzip-compressed (<c>tcpdump -w - | gzip</c>, support bundles) or through a pipe
/// (<c>tcpdump -w - | kubetriage capture -</c>): the same packets, connections and transactions as the plain
/// file, progress in the file's own bytes, and a clean problem for a compressed file that is cut or corrupt.
/// Built from the lab's own recording of the incident.
/// </summary>
public class CompressedAndPipedCaptureTests
{
    private static readonly byte[] Plain = File.ReadAllBytes(Path.Combine(TestCaptures.RepositoryRoot()!, "tests", "testdata", "pcap", "lab", "incident", "any.pcap"));

    private static readonly byte[] Gzipped = Gzip(Plain);

    public static TheoryData<string> Inputs => new() { "gzip", "gzip through a pipe", "plain through a pipe" };

    [Theory]
    [MemberData(nameof(Inputs))]
    public void ReadsTheSameRecordsAsThePlainFile(string input)
    {
        // Given
        var expected = Records(new MemoryStream(Plain), Plain.Length, out var plainReader);
        plainReader.Dispose();

        // When
        var records = Records(Stream(input), -1, out var reader);
        reader.Dispose();

        // Then
        Assert.Equal(expected.Count, records.Count);
        Assert.True(expected.SequenceEqual(records, RecordComparer.Instance), "records differ");
        Assert.Equal(input.StartsWith("gzip", StringComparison.Ordinal) ? CaptureCompression.Gzip : null, reader.Compression);
        Assert.Empty(reader.Problems);
    }

    [Fact]
    public void ProgressOfACompressedFileIsCountedInItsCompressedBytes()
    {
        // When
        Records(new MemoryStream(Gzipped), Gzipped.Length, out var reader);

        // Then: a progress bar over the file's length ends at 100%, not at the decompressed size
        using (reader)
        {
            Assert.Equal(Gzipped.Length, reader.BytesRead);
            Assert.True(reader.Length < Plain.Length);
        }
    }

    [Fact]
    public void TheEngineFindsTheSameConnectionsAndTransactionsInACompressedFile()
    {
        // Given
        var plain = Run(("any.pcap", Plain));

        // When
        var gzipped = Run(("any.pcap.gz", Gzipped));

        // Then
        Assert.Equal(TransactionText.Of(plain).Replace("any.pcap", "any.pcap.gz", StringComparison.Ordinal), TransactionText.Of(gzipped));
        Assert.Equal(CaptureTranscript.Render(plain).Replace("any.pcap", "any.pcap.gz", StringComparison.Ordinal), CaptureTranscript.Render(gzipped));
        Assert.Equal(CaptureCompression.Gzip, Assert.Single(gzipped.FilesEnded).Compression);
        Assert.Null(Assert.Single(plain.FilesEnded).Compression);
    }

    [Fact]
    public void ACutCompressedFileKeepsEveryPacketBeforeTheCut()
    {
        // Given: the first half of the compressed bytes, as from a copy that broke off
        var cut = Gzipped[..(Gzipped.Length / 2)];

        // When
        var records = Records(new MemoryStream(cut), cut.Length, out var reader);
        reader.Dispose();

        // Then
        Assert.InRange(records.Count, 1, Records(new MemoryStream(Plain), Plain.Length, out var whole).Count - 1);
        whole.Dispose();
        Assert.Contains(reader.Problems, p => p.Contains("FileTruncatedRecord", StringComparison.Ordinal));
    }

    [Fact]
    public void CorruptCompressedDataEndsTheFileWithAProblemAndKeepsWhatCameBefore()
    {
        // Given: one byte flipped a quarter into the deflate data
        var corrupt = (byte[])Gzipped.Clone();
        corrupt[corrupt.Length / 4] ^= 0xFF;

        // When
        var records = Records(new MemoryStream(corrupt), corrupt.Length, out var reader);
        reader.Dispose();

        // Then: a deflate error or garbage lengths, never an exception
        Assert.NotEmpty(records);
        Assert.NotEmpty(reader.Problems);
    }

    [Fact]
    public void ACompressedFileWhoseDataIsNoCaptureIsOneClearError()
    {
        // Given
        var text = Gzip("<html>not a capture</html>"u8.ToArray());

        // When
        bool opened = CaptureFile.TryOpen(new MemoryStream(text), "page.gz", text.Length, out _, out var error);

        // Then
        Assert.False(opened);
        Assert.Equal("page.gz: not a pcap or pcapng file (gzip-compressed, starts with 3c68746d6c3e6e6f)", error!.ToString());
    }

    [Fact]
    public void AnEmptyCompressedFileIsOneClearError()
    {
        // Given: what gzip -c /dev/null writes
        byte[] empty = [0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0x03, 0x03, 0x00, 0, 0, 0, 0, 0, 0, 0, 0];

        // When
        bool opened = CaptureFile.TryOpen(new MemoryStream(empty), "empty.pcap.gz", empty.Length, out _, out var error);

        // Then
        Assert.False(opened);
        Assert.Equal(WireError.FileEmpty, error!.Reason);
        Assert.Equal("empty.pcap.gz: the gzip file holds no data", error.ToString());
    }

    [Theory]
    [InlineData(new byte[] { 0x28, 0xB5, 0x2F, 0xFD, 0x04, 0x58 }, "node.pcap.zst: zstd-compressed: decompress it first (zstd -d node.pcap.zst) or pipe it in (zstd -d -c node.pcap.zst | kubetriage capture -)")]
    [InlineData(new byte[] { 0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00 }, "node.pcap.zst: xz-compressed: decompress it first (xz -d node.pcap.zst)")]
    [InlineData(new byte[] { 0x42, 0x5A, 0x68, 0x39, 0x31, 0x41 }, "node.pcap.zst: bzip2-compressed: decompress it first (bzip2 -d node.pcap.zst)")]
    [InlineData(new byte[] { 0x04, 0x22, 0x4D, 0x18, 0x64, 0x40 }, "node.pcap.zst: lz4-compressed: decompress it first (lz4 -d node.pcap.zst)")]
    [InlineData(new byte[] { 0x50, 0x4B, 0x03, 0x04, 0x14, 0x00 }, "node.pcap.zst: a zip archive, not a capture: unpack it first (unzip node.pcap.zst) and pass the pcap files inside")]
    public void OtherCompressionsNameTheCommandThatDecompressesThem(byte[] head, string message)
    {
        // When
        bool opened = CaptureFile.TryOpen(new MemoryStream(head), "node.pcap.zst", head.Length, out var reader, out var error);

        // Then
        Assert.False(opened);
        Assert.Null(reader);
        Assert.Equal(WireError.FileNotACapture, error!.Reason);
        Assert.StartsWith(message, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void EveryPrefixOfACompressedCaptureOpensCleanlyOrIsOneError()
    {
        // Given: prefixes across the gzip header, the pcap header and the first records
        for (int length = 0; length < Math.Min(Gzipped.Length, 4096); length += length < 64 ? 1 : 37)
        {
            var prefix = Gzipped[..length];

            // When
            bool opened = CaptureFile.TryOpen(new NonSeekableStream(prefix), "cut.pcap.gz", -1, out var reader, out var error);

            // Then
            if (opened)
            {
                using (reader)
                {
                    while (reader!.MoveNext())
                    {
                    }
                }
            }
            else
            {
                Assert.NotNull(error);
            }
        }
    }

    private static Stream Stream(string input) => input switch
    {
        "gzip" => new MemoryStream(Gzipped),
        "gzip through a pipe" => new NonSeekableStream(Gzipped),
        _ => new NonSeekableStream(Plain),
    };

    private static List<(long TimeNs, int Interface, byte[] Data)> Records(Stream stream, long length, out CaptureReader reader)
    {
        Assert.True(CaptureFile.TryOpen(stream, "any.pcap", length, out var opened, out var error), error?.ToString());
        reader = opened!;
        var records = new List<(long, int, byte[])>();
        while (reader.MoveNext())
        {
            records.Add((reader.Current.TimeNs, reader.Current.InterfaceIndex, reader.CurrentData.ToArray()));
        }

        return records;
    }

    private static RecordingSink Run((string Name, byte[] Bytes) capture)
    {
        string directory = Path.Combine(Path.GetTempPath(), $"kubetriage-gzip-tests-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        try
        {
            string path = Path.Combine(directory, capture.Name);
            File.WriteAllBytes(path, capture.Bytes);
            var sink = new RecordingSink();
            Assert.True(CaptureEngine.Run([path], sink, new ProtocolRegistry(sink)).Succeeded);
            return sink;
        }
        finally
        {
            Directory.Delete(directory, true);
        }
    }

    private static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(bytes);
        }

        return output.ToArray();
    }

    /// <summary>A pipe: reads in small pieces and cannot seek or tell its length.</summary>
    private sealed class NonSeekableStream(byte[] bytes) : Stream
    {
        private int _offset;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = Math.Min(Math.Min(count, 4093), bytes.Length - _offset);
            Array.Copy(bytes, _offset, buffer, offset, n);
            _offset += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private sealed class RecordComparer : IEqualityComparer<(long TimeNs, int Interface, byte[] Data)>
    {
        public static readonly RecordComparer Instance = new();

        public bool Equals((long TimeNs, int Interface, byte[] Data) x, (long TimeNs, int Interface, byte[] Data) y) =>
            x.TimeNs == y.TimeNs && x.Interface == y.Interface && x.Data.AsSpan().SequenceEqual(y.Data);

        public int GetHashCode((long TimeNs, int Interface, byte[] Data) obj) => obj.TimeNs.GetHashCode();
    }
}
