using KubeTriage.Capture.Files;
using KubeTriage.Capture.Primitives;
using KubeTriage.Capture.Tests.Support;

namespace KubeTriage.Capture.Tests.Files;

public class CaptureFileTests
{
    [Theory]
    [InlineData(new byte[] { 0xD4, 0xC3, 0xB2, 0xA1 }, CaptureFormat.Pcap)]
    [InlineData(new byte[] { 0xA1, 0xB2, 0xC3, 0xD4 }, CaptureFormat.Pcap)]
    [InlineData(new byte[] { 0x4D, 0x3C, 0xB2, 0xA1 }, CaptureFormat.PcapNanosecond)]
    [InlineData(new byte[] { 0xA1, 0xB2, 0x3C, 0x4D }, CaptureFormat.PcapNanosecond)]
    [InlineData(new byte[] { 0x0A, 0x0D, 0x0D, 0x0A }, CaptureFormat.PcapNg)]
    [InlineData(new byte[] { 0x7B, 0x22, 0x61, 0x22 }, CaptureFormat.Unknown)]   // {"a" : a JSON file
    [InlineData(new byte[] { 0x0A, 0x0D }, CaptureFormat.Unknown)]
    public void SniffsTheFormatFromTheMagic(byte[] head, CaptureFormat expected)
    {
        // When
        var format = CaptureFile.Sniff(head);

        // Then
        Assert.Equal(expected, format);
    }

    [Theory]
    [InlineData("", WireError.FileEmpty, "the file is empty")]
    [InlineData("<html><body>not a capture</body></html>", WireError.FileNotACapture, "not a pcap or pcapng file (starts with 3c68746d6c3e3c62)")]
    [InlineData("\u00D4\u00C3\u00B2\u00A1\u0002", WireError.FileTruncatedHeader, "truncated pcap file header")]
    public void UnreadableInputIsOneClearError(string content, WireError reason, string message)
    {
        // Given
        var bytes = content.Select(c => (byte)c).ToArray();

        // When
        bool opened = CaptureFile.TryOpen(new MemoryStream(bytes), "input.pcap", bytes.Length, out var reader, out var error);

        // Then
        Assert.False(opened);
        Assert.Null(reader);
        Assert.Equal(reason, error!.Reason);
        Assert.StartsWith($"input.pcap: {message}", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void MissingFileIsAnIoError()
    {
        // When
        bool opened = CaptureFile.TryOpen("/nonexistent/kubetriage/none.pcap", out _, out var error);

        // Then
        Assert.False(opened);
        Assert.Equal(WireError.FileIoError, error!.Reason);
        Assert.StartsWith("/nonexistent/kubetriage/none.pcap: cannot open", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void PcapNgWithABadVersionIsRejected()
    {
        // Given
        var bytes = CaptureBuilder.PcapNg().ToArray();
        bytes[12] = 2;

        // When
        bool opened = CaptureFile.TryOpen(new MemoryStream(bytes), "v2.pcapng", bytes.Length, out _, out var error);

        // Then
        Assert.False(opened);
        Assert.Contains("version 2", error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InspectReportsFormatAndFirstLinkType()
    {
        // Given
        string path = Path.Combine(Path.GetTempPath(), $"kubetriage-inspect-{Guid.NewGuid():N}.pcapng");
        File.WriteAllBytes(path, CaptureBuilder.PcapNg().Interface(LinkType.LinuxSll2).Enhanced(0, 1, [1]).ToArray());

        try
        {
            // When
            var info = CaptureFile.Inspect(path);

            // Then
            Assert.Equal(new CaptureFileInfo(path, CaptureFormat.PcapNg, LinkType.LinuxSll2), info);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
