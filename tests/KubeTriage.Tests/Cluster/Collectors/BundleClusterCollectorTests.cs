using KubeTriage.Bundle;
using KubeTriage.Cluster;
using KubeTriage.Cluster.Collectors;

namespace KubeTriage.Tests.Cluster.Collectors;

public sealed class BundleClusterCollectorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kt-cluster-bundle-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void ReadsResourcesLogsAndResolvConfFiles()
    {
        // Given / When
        var snapshot = ClusterFixtures.Snapshot(ClusterFixtures.Incident);

        // Then
        Assert.Empty(snapshot.Problems);
        Assert.Equal(2, snapshot.Pods.Count);
        Assert.Equal(4, snapshot.Events.Count);
        Assert.Equal([true, false], snapshot.Logs.OrderByDescending(l => l.Previous).Select(l => l.Previous));
        Assert.Equal(["shop/example-app"], snapshot.TargetPods);
        Assert.Contains("nameserver 10.96.0.10", snapshot.PodResolvConfs["shop/example-app"], StringComparison.Ordinal);
        Assert.Equal(["worker-1", "worker-2"], snapshot.NodeResolvConfs.Keys.Order());
        Assert.Equal(new DateTimeOffset(2026, 11, 28, 9, 58, 40, TimeSpan.Zero), snapshot.CollectedAt);
    }

    [Fact]
    public void ANamedTargetThatIsNotInTheBundleIsAProblem()
    {
        // Given / When
        var snapshot = ClusterFixtures.Snapshot(ClusterFixtures.Healthy, "shop/other-app");

        // Then
        Assert.Equal(["shop/other-app"], snapshot.TargetPods);
        Assert.Contains("not found: pod shop/other-app is not in cluster/resources.json", snapshot.Problems);
    }

    [Fact]
    public void MissingPiecesBecomeProblemsAndUnavailableEvidence()
    {
        // Given: an empty bundle directory
        var bundle = new BundleReader(_dir);

        // When
        var snapshot = BundleClusterCollector.Read(bundle, []);

        // Then
        Assert.Contains("evidence unavailable: cluster/resources.json is missing from the bundle", snapshot.Problems);
        Assert.Contains(snapshot.Problems, p => p.StartsWith("evidence unavailable: no cluster/logs/ directory", StringComparison.Ordinal));
        Assert.Contains(ClusterEvidenceKind.Deployments, snapshot.Unavailable);
        Assert.Empty(ClusterCheck.Run(snapshot).Findings);
    }

    [Fact]
    public void BinaryLogsAndResolvConfFilesAreProblemsNotEvidence()
    {
        // Given: the incident bundle with its current CoreDNS log and the app pod's resolv.conf overwritten by random bytes
        CopyDirectory(ClusterFixtures.Dir(ClusterFixtures.Incident), _dir);
        var random = new Random(11);
        var log = "cluster/logs/kube-system/coredns-5d78c9869d-7xk2p/coredns.log";
        var resolvConf = "cluster/pods/shop/example-app/resolv.conf";
        foreach (var relative in new[] { log, resolvConf })
        {
            var bytes = new byte[4096];
            random.NextBytes(bytes);
            File.WriteAllBytes(Path.Combine(_dir, relative), bytes);
        }

        // When
        var snapshot = BundleClusterCollector.Read(new BundleReader(_dir), []);
        var result = ClusterCheck.Run(snapshot);

        // Then: the garbage is named, the previous log still counts, and no pod.nameserver-mismatch is invented
        Assert.Contains($"{log}: binary content, not text: skipped", snapshot.Problems);
        Assert.Contains($"{resolvConf}: binary content, not text: skipped", snapshot.Problems);
        Assert.Equal([true], snapshot.Logs.Select(l => l.Previous));
        Assert.Empty(snapshot.PodResolvConfs);
        Assert.DoesNotContain(result.Findings, f => f.Id == "pod.nameserver-mismatch");
        Assert.Contains(result.Findings, f => f.Id == "cluster-dns.upstream-timeout");
    }

    [Theory]
    [InlineData("nameserver 10.96.0.10\nsearch shop.svc.cluster.local\noptions ndots:5\n", false)]
    [InlineData("[INFO] plugin/reload: Running configuration SHA512 = 1a2b\n\tindented\r\n", false)]
    [InlineData("nameserver 10.96.0.10\0\0\0", true)]
    [InlineData("\uFFFD\uFFFDx\uFFFD\u0001\u0002abc", true)]
    public void TellsBinaryFromText(string text, bool binary)
    {
        // Given / When
        var looksBinary = BundleReader.LooksBinary(text);

        // Then
        Assert.Equal(binary, looksBinary);
    }

    [Fact]
    public void KeepsOnlyTheTailOfALongLog()
    {
        // Given
        var text = string.Concat(Enumerable.Range(0, 5000).Select(i => $"line {i}\n"));

        // When
        var tail = BundleClusterCollector.Tail(text, 2000);

        // Then
        Assert.StartsWith("line 3000\n", tail, StringComparison.Ordinal);
        Assert.EndsWith("line 4999\n", tail, StringComparison.Ordinal);
    }

    [Fact]
    public void ANonDirectoryIsOneLine()
    {
        // Given
        var path = Path.Combine(_dir, "absent");

        // When
        var error = Assert.Throws<BundleException>(() => new BundleReader(path));

        // Then
        Assert.Equal($"{path}: not a directory", error.Message);
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
