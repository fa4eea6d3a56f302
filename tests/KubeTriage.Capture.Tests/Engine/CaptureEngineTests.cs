using KubeTriage.Capture.Files;
using KubeTriage.Capture.Packets;
using KubeTriage.Capture.Primitives;
using KubeTriage.Capture.Tests.Support;

namespace KubeTriage.Capture.Tests.Engine;

public class CaptureEngineTests
{
    private static readonly byte[] Query = FrameBuilder.Udp("198.18.1.20", 45000, "198.18.2.10", 53, [1]);

    [Fact]
    public void FilesAreMergedInTimeOrderWithInterfacesNumberedAcrossFiles()
    {
        // Given: eth0 has packets at 1, 3, 5 s; eth1 (pcapng with two interfaces) at 2, 4 s
        var eth0 = CaptureBuilder.Pcap(LinkType.Ethernet).Record(1, 0, Query).Record(3, 0, Query).Record(5, 0, Query).ToArray();
        var eth1 = CaptureBuilder.PcapNg().Interface(LinkType.Ethernet, "eth1").Interface(LinkType.Ethernet)
            .Enhanced(0, 2_000_000, Query).Enhanced(1, 4_000_000, Query).ToArray();

        // When
        var (sink, result) = CaptureRun.Files(null, null, ("eth0.pcap", eth0), ("eth1.pcapng", eth1));

        // Then
        Assert.True(result.Succeeded);
        Assert.Equal([1L, 2, 3, 4, 5], sink.Packets.Select(p => p.TimeNs / 1_000_000_000));
        Assert.Equal([0, 1, 0, 2, 0], sink.Packets.Select(p => p.InterfaceId));
        Assert.Equal(["eth0.pcap", "eth1", "eth1.pcapng#1"], sink.Interfaces.Select(i => i.Name));
        Assert.Equal(["file-start eth0.pcap", "interface 0 eth0.pcap", "file-start eth1.pcapng", "interface 1 eth1", "interface 2 eth1.pcapng#1",
            "file-end eth1.pcapng", "file-end eth0.pcap"], sink.Events);
        Assert.Equal([3L, 2], result.Files.Select(f => f.Packets));
        Assert.Equal(5, result.Packets);
    }

    [Fact]
    public void ManyFilesMergeByTimeWithTiesToTheFileListedFirst()
    {
        // Given: 12 files; file i holds packets at i, i + 12 and 40 s (a tie across all), then 41 + (i % 3) s
        var files = Enumerable.Range(0, 12).Select(i => ($"ring.pcap{i}", CaptureBuilder.Pcap(LinkType.Ethernet)
            .Record(i, 0, Query).Record(i + 12, 0, Query).Record(40, 0, Query).Record(41 + (i % 3), 0, Query).ToArray())).ToArray();
        var expected = files.SelectMany((_, i) => new (long Time, int File, int Order)[] { (i, i, 0), (i + 12L, i, 1), (40L, i, 2), (41L + (i % 3), i, 3) })
            .OrderBy(p => p.Time).ThenBy(p => p.File).ThenBy(p => p.Order).ToList();

        // When
        var (sink, result) = CaptureRun.Files(null, null, files);

        // Then: by time, and among equal times by the order the files were given
        Assert.True(result.Succeeded);
        Assert.Equal(expected.Select(p => (p.Time, p.File)), sink.Packets.Select(p => (p.TimeNs / 1_000_000_000, p.InterfaceId)));
    }

    [Fact]
    public void AnyUnreadableFileRejectsTheRunBeforeReadingAnything()
    {
        // Given
        var good = CaptureBuilder.Pcap(LinkType.Ethernet).Record(1, 0, Query).ToArray();
        var bad = "GET / HTTP/1.1\r\n"u8.ToArray();

        // When
        var (sink, result) = CaptureRun.Files(null, null, ("good.pcap", good), ("notes.txt", bad));

        // Then
        Assert.False(result.Succeeded);
        var rejected = Assert.Single(result.Rejected);
        Assert.Equal(WireError.FileNotACapture, rejected.Reason);
        Assert.EndsWith("notes.txt: not a pcap or pcapng file (starts with 474554202f204854)", rejected.ToString(), StringComparison.Ordinal);
        Assert.Empty(sink.Events);
    }

    [Fact]
    public void CheckListsEveryUnreadableFile()
    {
        // When
        var errors = CaptureEngine.Check(["/nonexistent/a.pcap", "/nonexistent/b.pcapng"]);

        // Then
        Assert.Equal([WireError.FileIoError, WireError.FileIoError], errors.Select(e => e.Reason));
    }

    [Fact]
    public void CookedV2InterfacesAreSplitByIndexAndCopiesAreRecognised()
    {
        // Given: tcpdump -i any on a node: the pod's SYN on its veth (index 9), then on eth0 (index 2)
        var syn = FrameBuilder.Ip("198.18.1.20", "198.18.2.20", 6, FrameBuilder.TcpSegment(40000, 3306, TcpFlags.Syn, 1, 0, []));
        var bytes = CaptureBuilder.Pcap(LinkType.LinuxSll2)
            .Record(10, 0, FrameBuilder.LinuxSll2(syn, 9)).Record(10, 40, FrameBuilder.LinuxSll2(syn, 2))
            .Record(11, 0, FrameBuilder.LinuxSll2(syn, 9)).Record(11, 40, FrameBuilder.LinuxSll2(syn, 2))
            .ToArray();

        // When
        var (sink, _) = CaptureRun.Files(null, null, ("any.pcap", bytes));

        // Then
        Assert.Equal(["any.pcap#if9", "any.pcap#if2"], sink.Interfaces.Select(i => i.Name));
        var connection = Assert.Single(sink.Connections);
        Assert.Equal(2, connection.SynAttempts);
        Assert.Equal(2, connection.DuplicatesOnOtherInterface);
        Assert.Equal([0, 1], connection.InterfaceIds);
    }

    [Fact]
    public void CookedV2InterfacesTakeTheNodesNamesWhenGiven()
    {
        // Given: the pod's SYN on its veth (index 9), on eth0 (index 2) and on an index the node file does not know (5)
        var syn = FrameBuilder.Ip("198.18.1.20", "198.18.2.20", 6, FrameBuilder.TcpSegment(40000, 3306, TcpFlags.Syn, 1, 0, []));
        var bytes = CaptureBuilder.Pcap(LinkType.LinuxSll2)
            .Record(10, 0, FrameBuilder.LinuxSll2(syn, 9)).Record(10, 40, FrameBuilder.LinuxSll2(syn, 2)).Record(10, 80, FrameBuilder.LinuxSll2(syn, 5))
            .ToArray();
        var options = CaptureOptions.Default with { InterfaceNames = new Dictionary<int, string> { [2] = "eth0", [9] = "enie3be3ad2cb5" } };

        // When
        var (sink, _) = CaptureRun.Files(null, options, ("any.pcap", bytes));

        // Then: the file stays in the name (eth0.pcap of the same node is another vantage point on the same NIC)
        Assert.Equal(["any.pcap#enie3be3ad2cb5", "any.pcap#eth0", "any.pcap#if5"], sink.Interfaces.Select(i => i.Name));
    }

    [Fact]
    public void TruncatedFileKeepsItsPacketsAndListsTheProblem()
    {
        // Given
        var bytes = CaptureBuilder.Pcap(LinkType.Ethernet).Record(1, 0, Query).Record(2, 0, Query).ToArray()[..^5];

        // When
        var (sink, result) = CaptureRun.Files(null, null, ("cut.pcap", bytes));

        // Then
        Assert.True(result.Succeeded);
        var file = Assert.Single(result.Files);
        Assert.Equal(1, file.Packets);
        Assert.Contains("truncated frame 2", Assert.Single(file.Problems), StringComparison.Ordinal);
        Assert.Single(sink.Packets);
    }

    [Fact]
    public void UndecodableFramesAreCountedAndOnlyTheFirstFewReported()
    {
        // Given: 20 frames whose IP header says version 5
        var broken = (byte[])Query.Clone();
        broken[14] = 0x55;
        var builder = CaptureBuilder.Pcap(LinkType.Ethernet);
        for (int i = 0; i < 20; i++)
        {
            builder.Record(i, 0, broken);
        }

        // When
        var (sink, result) = CaptureRun.Files(null, new CaptureOptions { MaxDiagnosticsPerReason = 3 }, ("broken.pcap", builder.ToArray()));

        // Then
        Assert.Equal(3, sink.Diagnostics.Count);
        Assert.All(sink.Diagnostics, d => Assert.Equal(WireError.PacketBadIpVersion, d.Reason));
        Assert.Equal("20 packets could not be decoded (PacketBadIpVersion); the first 3 are listed as diagnostics", Assert.Single(result.Files[0].Problems));
    }

    [Fact]
    public void ProgressIsReportedByBytesAndEndsComplete()
    {
        // Given
        var builder = CaptureBuilder.Pcap(LinkType.Ethernet);
        for (int i = 0; i < 40_000; i++)
        {
            builder.Record(i, 0, Query);
        }

        var reports = new List<CaptureProgress>();
        var progress = new SynchronousProgress(reports.Add);
        string path = Path.Combine(Path.GetTempPath(), $"kubetriage-progress-{Guid.NewGuid():N}.pcap");
        File.WriteAllBytes(path, builder.ToArray());

        try
        {
            // When
            _ = new CaptureEngine(new RecordingSink()).Run([path], progress);
        }
        finally
        {
            File.Delete(path);
        }

        // Then
        Assert.True(reports.Count >= 2);
        Assert.True(reports[0].Fraction < 1);
        Assert.Equal(1.0, reports[^1].Fraction);
        Assert.Equal(40_000, reports[^1].Packets);
    }

    [Fact]
    public void CancellationStopsBetweenPackets()
    {
        // Given
        var builder = CaptureBuilder.Pcap(LinkType.Ethernet);
        for (int i = 0; i < 5000; i++)
        {
            builder.Record(i, 0, Query);
        }

        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();
        var bytes = builder.ToArray();
        Assert.True(CaptureFile.TryOpen(new MemoryStream(bytes), "c.pcap", bytes.Length, out var reader, out _));

        // When / Then
        _ = Assert.Throws<OperationCanceledException>(() => new CaptureEngine(new RecordingSink()).Run([reader!], null, cancellation.Token));
    }

    [Fact]
    public void LiveCaptureReportsItsSourceLikeAFile()
    {
        // Given
        var sink = new RecordingSink();
        var live = new CaptureEngine(sink).StartLive("live:any");
        int eth1 = live.AddInterface("eth1", LinkType.Ethernet);

        // When
        live.OnPacket(eth1, 1_000, Query);
        var summary = live.Complete();

        // Then
        Assert.Equal(["file-start live:any", "interface 0 eth1", "file-end live:any"], sink.Events);
        Assert.Equal(1, summary.Packets);
        Assert.Single(sink.UdpFlows);
    }

    private sealed class SynchronousProgress(Action<CaptureProgress> report) : IProgress<CaptureProgress>
    {
        public void Report(CaptureProgress value) => report(value);
    }
}
