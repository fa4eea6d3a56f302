using System.Text.Json;
using KubeTriage.Lab;
using Xunit.Abstractions;

namespace KubeTriage.Cli.Tests.Names;

/// <summary>
/// <c>kubetriage dns</c> run inside the lab's pod (its ClusterFirst resolv.conf points at cluster DNS), asking
/// cluster DNS and both upstreams, healthy and under the faults that concern names.
/// </summary>
[Collection(LabCollection.Name)]
public sealed class DnsLabTests(LabFixture lab, ITestOutputHelper output)
{
    private async Task<(ExecResult Run, JsonDocument Json)> RunDnsInPodAsync()
    {
        var run = await KubeTriageCli.Run(lab.PodNs, TimeSpan.FromSeconds(60),
            "dns", LabAddresses.ObjectStoreName,
            "--expect", Path.Combine(TestPaths.RepoRoot, "tests", "lab", "expect.yaml"),
            "--resolver", LabAddresses.ClusterDns, "--resolver", LabAddresses.Upstream1, "--resolver", LabAddresses.Upstream2,
            "--format", "json");
        output.WriteLine(run.ToString());
        Assert.False(run.TimedOut, run.ToString());
        return (run, JsonDocument.Parse(run.StdOut));
    }

    private static IReadOnlyList<JsonElement> Findings(JsonDocument json, string id) =>
        json.RootElement.GetProperty("findings").EnumerateArray().Where(f => f.GetProperty("id").GetString() == id).ToList();

    private static IReadOnlyList<string> Answers(JsonDocument json, string resolver, string type = "A") =>
        json.RootElement.GetProperty("dnsProbes").GetProperty("probes").EnumerateArray()
            .Single(p => p.GetProperty("resolver").GetProperty("address").GetString() == resolver && p.GetProperty("type").GetString() == type)
            .GetProperty("answers").EnumerateArray().Select(a => a.GetString()!).ToList();

    [SkippableFact]
    public async Task HealthyLabResolvesTheDedicatedLineEverywhereWithoutWarnings()
    {
        Skip.IfNot(lab.IsAvailable, lab.SkipReason);

        // Given
        await lab.HealAll();

        // When
        var (run, json) = await RunDnsInPodAsync();

        // Then
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.DoesNotContain(json.RootElement.GetProperty("findings").EnumerateArray(), f => f.GetProperty("severity").GetString() is "warning" or "critical");
        foreach (var resolver in new[] { LabAddresses.ClusterDns, LabAddresses.Upstream1, LabAddresses.Upstream2 })
        {
            Assert.Equal([LabAddresses.ObjectStoreDedicated], Answers(json, resolver));
        }

        var roles = json.RootElement.GetProperty("dnsProbes").GetProperty("resolvers").EnumerateArray()
            .Select(r => r.GetProperty("role").GetString()).ToList();
        Assert.Equal("cluster-dns", roles[0]);
        var expansion = Assert.Single(json.RootElement.GetProperty("dnsProbes").GetProperty("searchExpansions").EnumerateArray());
        Assert.Equal(LabAddresses.ObjectStoreName, expansion.GetProperty("answeredBy").GetString());
        Assert.Equal(3, expansion.GetProperty("nxDomains").GetInt32());
        Assert.Equal(8, expansion.GetProperty("queries").GetInt32());
    }

    [SkippableFact]
    public async Task WrongDnsIsAnUnexpectedAnswerOnTheUpstreamsAndOnClusterDns()
    {
        Skip.IfNot(lab.IsAvailable, lab.SkipReason);

        // Given
        await using var fault = await lab.Inject(Fault.WrongDns);

        // When
        var (run, json) = await RunDnsInPodAsync();

        // Then
        Assert.True(run.ExitCode == 1, run.ToString());
        var unexpected = Findings(json, "dns.unexpected-answer");
        Assert.Equal(
            [$"oss.example.com @ {LabAddresses.ClusterDns}", $"oss.example.com @ {LabAddresses.Upstream1}", $"oss.example.com @ {LabAddresses.Upstream2}"],
            unexpected.Select(f => f.GetProperty("subject").GetString()).Order(StringComparer.Ordinal));
        Assert.All(unexpected, f => Assert.Contains(LabAddresses.ObjectStorePublic, f.GetProperty("evidence")[0].GetString(), StringComparison.Ordinal));
        var clusterDns = unexpected.Single(f => f.GetProperty("subject").GetString()!.EndsWith(LabAddresses.ClusterDns, StringComparison.Ordinal));
        Assert.Equal("critical", clusterDns.GetProperty("severity").GetString());
        Assert.Empty(Findings(json, "dns.resolver-disagreement"));
    }

    [SkippableFact]
    public async Task StoppedClusterDnsIsNoResponseWhileTheUpstreamsAnswer()
    {
        Skip.IfNot(lab.IsAvailable, lab.SkipReason);

        // Given
        await using var fault = await lab.Inject(Fault.ClusterDns);

        // When
        var (run, json) = await RunDnsInPodAsync();

        // Then
        Assert.True(run.ExitCode == 1, run.ToString());
        var noResponse = Assert.Single(Findings(json, "dns.no-response"));
        Assert.Equal($"{LabAddresses.ClusterDns} (cluster-dns)", noResponse.GetProperty("subject").GetString());
        Assert.Equal("critical", noResponse.GetProperty("severity").GetString());
        Assert.Equal([LabAddresses.ObjectStoreDedicated], Answers(json, LabAddresses.Upstream1));
        Assert.Equal([LabAddresses.ObjectStoreDedicated], Answers(json, LabAddresses.Upstream2));
        Assert.Empty(Findings(json, "dns.unexpected-answer"));
    }
}
