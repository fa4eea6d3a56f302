using KubeTriage.Cluster.Logs;

namespace KubeTriage.Tests.Cluster.Logs;

public sealed class CoreDnsLogReaderTests
{
    [Fact]
    public void StripsTheKubectlTimestampAndKeepsItAsTheEntryTime()
    {
        // Given
        const string log = "2026-11-28T09:54:01.665479123Z [ERROR] plugin/errors: 2 example-api.com. A: read udp 198.18.1.30:41873->198.18.2.11:53: i/o timeout\n";

        // When
        var entry = Assert.Single(CoreDnsLogReader.Read(log));

        // Then
        Assert.Equal(new DateTimeOffset(2026, 11, 28, 9, 54, 1, TimeSpan.Zero).AddTicks(6654791), entry.Time);
        Assert.StartsWith("[ERROR] plugin/errors:", entry.Text, StringComparison.Ordinal);
        Assert.Equal(CoreDnsLogClass.UpstreamTimeout, entry.Class);
    }

    [Theory]
    // CoreDNS 1.3-1.6 printed its own ISO time; kubectl --timestamps may add another in front.
    [InlineData("2019-04-17T00:18:44.485Z [ERROR] plugin/errors: 2 a.lab. A: read udp 10.32.0.5:1->10.20.0.2:53: i/o timeout", "2019-04-17T00:18:44.4850000+00:00")]
    [InlineData("2026-11-28T09:00:00.000000001Z 2019-04-17T00:18:44.485Z [ERROR] plugin/errors: 2 a.lab. A: read udp 10.32.0.5:1->10.20.0.2:53: i/o timeout", "2026-11-28T09:00:00.0000000+00:00")]
    // CoreDNS 1.2 printed Go's default log date.
    [InlineData("2018/08/15 14:37:17 [ERROR] plugin/errors: 2 a.lab. A: read udp 10.32.0.5:1->10.20.0.2:53: i/o timeout", "2018-08-15T14:37:17.0000000+00:00")]
    public void ReadsEveryTimestampPrefix(string line, string expected)
    {
        // Given / When
        var entry = Assert.Single(CoreDnsLogReader.Read(line));

        // Then
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), entry.Time);
        Assert.Equal(CoreDnsLogClass.UpstreamTimeout, entry.Class);
        Assert.Equal("10.20.0.2:53", entry.Upstream);
    }

    [Theory]
    [InlineData("2026-11-28T09:54:01.665479123Z", "2026-11-28T09:54:01.6654791+00:00")]
    [InlineData("2026-11-28T09:54:01Z", "2026-11-28T09:54:01.0000000+00:00")]
    [InlineData("2026-11-28T11:54:01.5+02:00", "2026-11-28T09:54:01.5000000+00:00")]
    [InlineData("2026-02-30T09:54:01Z", null)]
    [InlineData("0000-01-01T00:00:00Z", null)]
    [InlineData("2026-11-28T25:54:01Z", null)]
    [InlineData("2026-11-28T09:54:01.5+0200", null)]
    [InlineData("2026-11-28 09:54:01Z", null)]
    public void ParsesRfc3339TimestampsStrictly(string text, string? expected)
    {
        // Given / When
        var ok = CoreDnsLogReader.TryParseIso(text, out var time);

        // Then
        Assert.Equal(expected is not null, ok);
        if (expected is not null)
        {
            Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), time);
        }
    }

    [Fact]
    public void AttachesTraceLinesWithoutLevelToTheEntryBefore()
    {
        // Given: client-go Trace blocks carry no [LEVEL] prefix and repeat the error text
        const string log = """
            [INFO] plugin/kubernetes: Trace[42]: "Reflector ListAndWatch" name:pkg/mod/k8s.io/client-go@v0.27.4/tools/cache/reflector.go:231 (28-Nov-2026 09:54:05.112) (total time: 30001ms):
            Trace[42]: ---"Objects listed" error:Get "https://10.96.0.1:443/api/v1/services?limit=500&resourceVersion=0": dial tcp 10.96.0.1:443: i/o timeout 30001ms (09:54:35.113)
            Trace[42]: [30.001190554s] [30.001190554s] END
            [ERROR] plugin/kubernetes: pkg/mod/k8s.io/client-go@v0.27.4/tools/cache/reflector.go:231: Failed to watch *v1.Service: failed to list *v1.Service: Get "https://10.96.0.1:443/api/v1/services?limit=500&resourceVersion=0": dial tcp 10.96.0.1:443: i/o timeout
            """;

        // When
        var entries = CoreDnsLogReader.Read(log);

        // Then: the trace is one info entry with two continuations, the failure counted once
        Assert.Equal(2, entries.Count);
        Assert.Equal(CoreDnsLogClass.Info, entries[0].Class);
        Assert.Equal(2, entries[0].Continuations.Count);
        Assert.Equal(CoreDnsLogClass.ApiServerUnreachable, entries[1].Class);
        Assert.Equal(4, entries[1].Line);
    }

    [Fact]
    public void RejoinsHardWrappedLines()
    {
        // Given: a terminal wrapped the 1.11.3 line before " Get"
        const string log = """
            [INFO] plugin/ready: Still waiting on: "kubernetes"
            [INFO] plugin/kubernetes: pkg/mod/k8s.io/client-go@v0.29.3/tools/cache/reflector.go:243: failed to list *v1.Service:
             Get "https://10.96.0.1:443/api/v1/services?limit=500&resourceVersion=0": dial tcp 10.96.0.1:443: i/o timeout
            [ERROR] plugin/kubernetes: Unhandled Error
            """;

        // When
        var entries = CoreDnsLogReader.Read(log);

        // Then
        Assert.Equal(3, entries.Count);
        Assert.Equal(CoreDnsLogClass.ReadyWaiting, entries[0].Class);
        Assert.Equal(CoreDnsLogClass.ApiServerUnreachable, entries[1].Class);
        Assert.Equal("10.96.0.1:443", entries[1].ApiServer);
        Assert.Contains("*v1.Service: Get \"https://", entries[1].Text, StringComparison.Ordinal);
        Assert.Equal(CoreDnsLogClass.ApiServerUnreachable, entries[2].Class);
    }

    [Fact]
    public void RejoinsALineWrappedMidWordAtTheTerminalWidth()
    {
        // Given: wrapped at 80 columns in the middle of the upstream address
        const string full = "[ERROR] plugin/errors: 2 example-api.com. A: read udp 198.18.1.30:41873->198.18.2.11:53: i/o timeout";
        var log = full[..80] + "\n" + full[80..] + "\n[INFO] plugin/ready: Still waiting on: \"kubernetes\"\n";

        // When
        var entries = CoreDnsLogReader.Read(log);

        // Then
        Assert.Equal(2, entries.Count);
        Assert.Equal(full, entries[0].Text);
        Assert.Equal("198.18.2.11:53", entries[0].Upstream);
    }

    [Fact]
    public void KeepsShortUnknownLinesAsTheirOwnEntries()
    {
        // Given
        const string log = "CoreDNS-1.9.4\nlinux/amd64, go1.19.1, 1f0a41a\nsomething else\n";

        // When
        var entries = CoreDnsLogReader.Read(log);

        // Then
        Assert.Equal(3, entries.Count);
        Assert.All(entries, e => Assert.Equal(CoreDnsLogClass.Info, e.Class));
    }

    [Fact]
    public void CapsARunawayJoin()
    {
        // Given: one entry followed by a huge run of indented continuation lines
        var log = "[ERROR] plugin/errors: 2 a.lab. A: read udp 10.0.0.1:1->10.0.0.2:53: i/o timeout\n"
            + string.Concat(Enumerable.Repeat(" continued text that never ends and keeps going on and on\n", 2000));

        // When
        var entry = Assert.Single(CoreDnsLogReader.Read(log));

        // Then
        Assert.True(entry.Text.Length <= CoreDnsLogReader.MaxEntryLength);
        Assert.Equal(CoreDnsLogClass.UpstreamTimeout, entry.Class);
    }

    [Fact]
    public void ReadsGarbageWithoutThrowing()
    {
        // Given
        var random = new Random(1234);
        var bytes = new byte[20000];
        random.NextBytes(bytes);
        var text = System.Text.Encoding.Latin1.GetString(bytes);

        // When
        var summary = CoreDnsLogSummary.Of(text);

        // Then
        Assert.True(summary.Entries > 0);
        Assert.Equal(0, summary.Count(CoreDnsLogClass.UpstreamTimeout));
    }
}
