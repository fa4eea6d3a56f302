using KubeTriage.Capture.Files;
using KubeTriage.Capture.Tests.Support;

namespace KubeTriage.Capture.Tests.Files;

public class PcapReaderTests
{
    [Theory]
    [InlineData(64)]        // records cross the buffer end
    [InlineData(1 << 20)]
    public void StreamsRecordsAcrossBufferRefills(int bufferSize)
    {
        // Given: 200 records of growing size, more bytes than the small buffer holds
        var builder = CaptureBuilder.Pcap(LinkType.Ethernet);
        for (int i = 0; i < 200; i++)
        {
            builder.Record(1000 + i, i, Enumerable.Repeat((byte)i, 10 + i).ToArray());
        }

        // When
        var (records, reader) = CaptureRun.ReadAll(builder.ToArray(), bufferSize);

        // Then
        Assert.Equal(200, records.Count);
        for (int i = 0; i < 200; i++)
        {
            Assert.Equal(i + 1, records[i].Record.Frame);
            Assert.Equal(((1000L + i) * 1_000_000_000) + (i * 1000L), records[i].Record.TimeNs);
            Assert.Equal(Enumerable.Repeat((byte)i, 10 + i).ToArray(), records[i].Data);
        }

        Assert.Empty(reader.Problems);
    }

    [Fact]
    public void RecordLargerThanTheBufferGrowsIt()
    {
        // Given
        var big = Enumerable.Range(0, 70_000).Select(i => (byte)i).ToArray();
        var bytes = CaptureBuilder.Pcap(LinkType.Ethernet, snapLength: 262144).Record(1, 0, big).Record(2, 0, [1, 2, 3]).ToArray();

        // When
        var (records, _) = CaptureRun.ReadAll(bytes, 4096);

        // Then
        Assert.Equal(2, records.Count);
        Assert.Equal(big, records[0].Data);
    }

    [Fact]
    public void TruncatedTailKeepsEverythingBeforeItAndSaysSo()
    {
        // Given: the last record is cut in the middle of its data
        var full = CaptureBuilder.Pcap(LinkType.Ethernet).Record(1, 0, new byte[60]).Record(2, 0, new byte[60]).ToArray();
        var cut = full[..^10];

        // When
        var (records, reader) = CaptureRun.ReadAll(cut);

        // Then
        Assert.Single(records);
        var problem = Assert.Single(reader.Problems);
        Assert.Contains("truncated frame 2", problem, StringComparison.Ordinal);
        Assert.Contains("FileTruncatedRecord", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void CorruptRecordLengthEndsTheFileWithAProblem()
    {
        // Given: a record header claiming 2 GB follows a good record
        var bytes = CaptureBuilder.Pcap(LinkType.Ethernet).Record(1, 0, new byte[60])
            .Raw([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x7F, 60, 0, 0, 0]).Raw(new byte[100]).ToArray();

        // When
        var (records, reader) = CaptureRun.ReadAll(bytes);

        // Then
        Assert.Single(records);
        Assert.Contains("FileRecordTooLarge", Assert.Single(reader.Problems), StringComparison.Ordinal);
        Assert.False(reader.MoveNext());
    }

    [Fact]
    public void HeaderOnlyFileHasNoRecordsAndNoProblems()
    {
        // Given
        var bytes = CaptureBuilder.Pcap(LinkType.Raw).ToArray();

        // When
        var (records, reader) = CaptureRun.ReadAll(bytes);

        // Then
        Assert.Empty(records);
        Assert.Empty(reader.Problems);
        Assert.Equal(LinkType.Raw, Assert.Single(reader.Interfaces).LinkType);
    }
}
