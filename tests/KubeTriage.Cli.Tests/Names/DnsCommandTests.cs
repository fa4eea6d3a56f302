using System.Text.Json;
using KubeTriage.Tests.Names;

namespace KubeTriage.Cli.Tests.Names;

public sealed class DnsCommandTests
{
    [Theory]
    [InlineData(new[] { "dns" }, "kubetriage: dns: give at least one NAME, or --expect FILE whose dependencies name DNS names")]
    [InlineData(new[] { "dns", "oss.example.com", "--timeout", "2x" }, "kubetriage: --timeout: '2x' is not a duration (e.g. 500ms, 2s, 1m)")]
    [InlineData(new[] { "dns", "oss.example.com", "--resolver", "127.0.0.1", "--timeout", "99h" }, "kubetriage: --timeout: '99h' is longer than one DNS exchange should wait (at most 1m)")]
    [InlineData(new[] { "dns", "oss.example.com", "--resolver", "1.2.3" }, "kubetriage: --resolver 1.2.3: not an IP address or IP:port (e.g. 10.96.0.10 or 10.0.0.2:5353)")]
    [InlineData(new[] { "dns", "oss.example.com", "--resolver", "127.0.0.1=boss" }, "kubetriage: --resolver 127.0.0.1=boss: role 'boss' is not one of cluster-dns, upstream, node")]
    [InlineData(new[] { "dns", "10.0.0.1", "--resolver", "127.0.0.1" }, "kubetriage: dns: '10.0.0.1' is not a DNS name")]
    [InlineData(new[] { "dns", "oss.example.com", "--resolver", "127.0.0.1", "--retries", "99" }, "kubetriage: --retries: 99 is not between 0 and 10")]
    [InlineData(new[] { "dns", "oss.example.com", "--resolver", "127.0.0.1", "--format", "yaml" }, "kubetriage: --format: 'yaml' is not one of text, json, markdown, html")]
    [InlineData(new[] { "dns", "oss.example.com", "--resolver", "127.0.0.1", "--from", "/nonexistent/bundle" }, "kubetriage: --from /nonexistent/bundle: not a directory")]
    public async Task BadArgumentsExitTwoWithOneLine(string[] args, string expected)
    {
        // Given
        // When
        var (exit, stdout, stderr) = await CliProcess.RunAsync(args);

        // Then
        Assert.Equal(2, exit);
        Assert.Equal(expected, stderr.TrimEnd('\n'));
        Assert.Empty(stdout);
    }

    [Fact]
    public async Task ABadExpectationsFileExitsTwoNamingTheLine()
    {
        // Given
        var expect = CliProcess.Fixture("expect.bad-cidr.yaml");

        // When
        var (exit, _, stderr) = await CliProcess.RunAsync("dns", "--expect", expect, "--resolver", "127.0.0.1");

        // Then
        Assert.Equal(2, exit);
        Assert.Equal($"kubetriage: {expect}:3: resolvesTo entry '198.18.3.0/33' is not an address or CIDR", stderr.TrimEnd('\n'));
    }

    [Fact]
    public async Task AnExpectationsFileWithoutDnsNamesNeedsNames()
    {
        // Given
        var expect = CliProcess.Fixture("expect.no-dns-names.yaml");

        // When
        var (exit, _, stderr) = await CliProcess.RunAsync("dns", "--expect", expect, "--resolver", "127.0.0.1");

        // Then
        Assert.Equal(2, exit);
        Assert.Equal($"kubetriage: --expect {expect}: no dependency name looks like a DNS name; give NAME arguments", stderr.TrimEnd('\n'));
    }

    [Fact]
    public async Task ANamedResolvConfThatCannotBeReadExitsTwo()
    {
        // Given
        var missing = CliProcess.Fixture("resolv.missing.conf");

        // When
        var (exit, _, stderr) = await CliProcess.RunAsync("dns", "oss.example.com", "--resolv-conf", missing);

        // Then
        Assert.Equal(2, exit);
        Assert.StartsWith($"kubetriage: --resolv-conf {missing}: cannot read: ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HealthyResolversExitZeroWithTheProbesAndTheSearchListInJson()
    {
        // Given
        await using var cluster = LoopbackDnsServer.Start(q => q.Name.EndsWith("cluster.local", StringComparison.Ordinal)
            ? LoopbackReply.NxDomain()
            : q.Type == "A" ? LoopbackReply.Address(q.Name, "198.18.3.2") : LoopbackReply.NoData());
        await using var upstream = LoopbackDnsServer.Answering("198.18.3.2");

        // When
        var (exit, stdout, stderr) = await CliProcess.RunAsync("dns", "--expect", CliProcess.Fixture("expect.oss.yaml"),
            "--resolver", $"127.0.0.1:{cluster.Port}=cluster-dns", "--resolver", $"127.0.0.1:{upstream.Port}=upstream",
            "--resolv-conf", CliProcess.Fixture("resolv.pod.conf"), "--format", "json");

        // Then
        Assert.True(exit == 0, stderr + stdout);
        using var json = JsonDocument.Parse(stdout);
        Assert.Empty(json.RootElement.GetProperty("findings").EnumerateArray());
        var probes = json.RootElement.GetProperty("dnsProbes");
        Assert.Equal(["oss.example.com"], probes.GetProperty("names").EnumerateArray().Select(n => n.GetString()));
        Assert.Equal(["cluster-dns", "upstream"], probes.GetProperty("resolvers").EnumerateArray().Select(r => r.GetProperty("role").GetString()));
        var first = probes.GetProperty("probes")[0];
        Assert.Equal("answered", first.GetProperty("outcome").GetString());
        Assert.Equal("198.18.3.2", first.GetProperty("answers")[0].GetString());
        var expansion = Assert.Single(probes.GetProperty("searchExpansions").EnumerateArray());
        Assert.Equal(3, expansion.GetProperty("nxDomains").GetInt32());
        Assert.Equal(8, expansion.GetProperty("queries").GetInt32());
    }

    [Fact]
    public async Task AnUnexpectedAnswerOnThePodsPathExitsOneWithACriticalFinding()
    {
        // Given
        await using var cluster = LoopbackDnsServer.Answering("198.19.249.132");

        // When
        var (exit, stdout, stderr) = await CliProcess.RunAsync("dns", "oss.example.com", "--expect", CliProcess.Fixture("expect.oss.yaml"),
            "--resolver", $"127.0.0.1:{cluster.Port}=cluster-dns", "--resolv-conf", CliProcess.Fixture("resolv.pod.conf"), "--format", "json");

        // Then
        Assert.True(exit == 1, stderr + stdout);
        using var json = JsonDocument.Parse(stdout);
        var finding = Assert.Single(json.RootElement.GetProperty("findings").EnumerateArray());
        Assert.Equal("dns.unexpected-answer", finding.GetProperty("id").GetString());
        Assert.Equal("critical", finding.GetProperty("severity").GetString());
        Assert.Contains("198.19.249.132", finding.GetProperty("evidence")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASilentResolverExitsOneWithNoResponse()
    {
        // Given
        await using var silent = LoopbackDnsServer.Start(_ => LoopbackReply.Never());

        // When
        var (exit, stdout, _) = await CliProcess.RunAsync("dns", "oss.example.com", "--resolver", $"127.0.0.1:{silent.Port}=upstream",
            "--timeout", "200ms", "--resolv-conf", CliProcess.Fixture("resolv.pod.conf"), "--format", "json");

        // Then
        Assert.Equal(1, exit);
        using var json = JsonDocument.Parse(stdout);
        var finding = Assert.Single(json.RootElement.GetProperty("findings").EnumerateArray());
        Assert.Equal("dns.no-response", finding.GetProperty("id").GetString());
        Assert.Equal("critical", finding.GetProperty("severity").GetString());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("dnsProbes").GetProperty("probes")[0].GetProperty("latencySeconds").ValueKind);
    }

    [Theory]
    [InlineData("text", "DNS probes")]
    [InlineData("markdown", "## DNS probes")]
    [InlineData("html", "<h2>DNS probes</h2>")]
    public async Task EveryFormatDrawsTheProbeTable(string format, string heading)
    {
        // Given
        await using var server = LoopbackDnsServer.Answering("198.18.3.2");
        var output = Path.Combine(Path.GetTempPath(), $"kubetriage-dns-{Guid.NewGuid():N}.{format}");

        try
        {
            // When
            var (exit, stdout, stderr) = await CliProcess.RunAsync("dns", "oss.example.com", "--resolver", $"127.0.0.1:{server.Port}",
                "--resolv-conf", CliProcess.Fixture("resolv.pod.conf"), "--format", format, "-o", output);

            // Then
            Assert.True(exit == 0, stderr);
            Assert.Empty(stdout);
            var text = await File.ReadAllTextAsync(output);
            Assert.Contains(heading, text, StringComparison.Ordinal);
            Assert.Contains("198.18.3.2", text, StringComparison.Ordinal);
            Assert.Contains("not replayed: no cluster-dns resolver among those asked", text, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(output);
        }
    }

    [Fact]
    public async Task HelpTeachesTheVerbWithExamples()
    {
        // Given
        // When
        var (exit, stdout, _) = await CliProcess.RunAsync("dns", "--help");

        // Then
        Assert.Equal(0, exit);
        Assert.Contains("kubetriage dns oss.example.com --expect expect.yaml", stdout, StringComparison.Ordinal);
        Assert.Contains("--resolver <IP>", stdout, StringComparison.Ordinal);
        Assert.Contains("--timeout <DURATION>", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FromABundleTheResolversAndTheirRolesComeFromTheClusterEvidence()
    {
        // Given: kube-dns and the node's resolver on loopback addresses where nothing listens.
        var bundle = CliProcess.Fixture("bundle-loopback");

        // When
        var (exit, stdout, stderr) = await CliProcess.RunAsync("dns", "--from", bundle, "--timeout", "300ms", "--format", "json");

        // Then
        Assert.True(exit == 1, stderr + stdout);
        using var json = JsonDocument.Parse(stdout);
        var probes = json.RootElement.GetProperty("dnsProbes");
        Assert.Equal(["oss.example.com"], probes.GetProperty("names").EnumerateArray().Select(n => n.GetString()));
        Assert.Equal(
            ["127.0.0.201 cluster-dns", "127.0.0.202 upstream"],
            probes.GetProperty("resolvers").EnumerateArray().Select(r => $"{r.GetProperty("address").GetString()} {r.GetProperty("role").GetString()}"));
        Assert.Equal(
            ["critical dns.no-response", "critical dns.no-response"],
            json.RootElement.GetProperty("findings").EnumerateArray().Select(f => $"{f.GetProperty("severity").GetString()} {f.GetProperty("id").GetString()}"));
        Assert.Equal(1, Assert.Single(probes.GetProperty("searchExpansions").EnumerateArray()).GetProperty("steps").GetArrayLength());
    }
}
