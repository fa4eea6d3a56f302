using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using KubeTriage.Cluster;
using KubeTriage.Cluster.Collectors;
using KubeTriage.Findings;
using KubeTriage.Lab;

namespace KubeTriage.Tests.Cluster.Collectors;

public sealed class ApiClusterCollectorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kt-cluster-api-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task CollectsTheIncidentThroughTheRealClientAndFindsWhatTheBundleShows()
    {
        // Given
        await using var server = await FakeKubeApiServer.StartAsync(ClusterFixtures.Dir(ClusterFixtures.Incident));
        var connection = KubernetesConnection.Load(server.WriteKubeconfig(_dir), null, TimeSpan.FromSeconds(10));
        using var client = connection.CreateClient();

        // When
        var snapshot = await new ApiClusterCollector(client, connection.Server, connection.Timeout).CollectAsync(["shop/example-app"], CancellationToken.None);
        var result = ClusterCheck.Run(snapshot);

        // Then
        Assert.True(result.Problems.Count == 0, string.Join(Environment.NewLine, result.Problems));
        Assert.Equal(server.Url, snapshot.Source);
        Assert.Equal(
            [
                (FindingIds.ClusterDnsApiServerUnreachable, "kube-system/coredns-5d78c9869d-7xk2p"),
                (FindingIds.ClusterDnsNoReadyEndpoints, "kube-system/kube-dns"),
                (FindingIds.ClusterDnsPodUnstable, "kube-system/coredns-5d78c9869d-7xk2p"),
                (FindingIds.ClusterDnsSingleReplica, "kube-system/coredns"),
                (FindingIds.ClusterDnsUpstreamTimeout, "kube-system/coredns-5d78c9869d-7xk2p"),
            ],
            result.Findings.Select(f => (f.Id, f.Subject)));
        Assert.All(result.Findings, f => Assert.Equal("worker-1", f.Node));
        Assert.Equal(2, snapshot.Logs.Count);
        Assert.Equal("shop/example-app", Assert.Single(result.Evidence.Targets).Key);
        Assert.NotNull(result.Evidence.Targets[0].Pod);
        var logRequests = server.Requests.Where(r => r.Path.EndsWith("/log", StringComparison.Ordinal)).Select(r => r.Query).ToList();
        Assert.Contains(logRequests, q => q.Contains("previous=true", StringComparison.Ordinal));
        Assert.All(logRequests, q => Assert.Contains("tailLines=2000", q, StringComparison.Ordinal));
        Assert.All(logRequests, q => Assert.Contains("timestamps=true", q, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TurnsForbiddenAndNotFoundIntoProblemsAndKeepsTheRest()
    {
        // Given
        await using var server = await FakeKubeApiServer.StartAsync(ClusterFixtures.Dir(ClusterFixtures.Incident));
        server.Deny.Add("/api/v1/namespaces/kube-system/configmaps");
        server.Deny.Add("/api/v1/nodes");
        server.Deny.Add("/api/v1/namespaces/kube-system/events");
        server.Deny.Add("/apis/events.k8s.io/v1/namespaces/kube-system/events");
        server.Hide.Add("/api/v1/namespaces/shop/pods/missing-app");
        var connection = KubernetesConnection.Load(server.WriteKubeconfig(_dir), null, TimeSpan.FromSeconds(10));
        using var client = connection.CreateClient();

        // When
        var snapshot = await new ApiClusterCollector(client, connection.Server, connection.Timeout).CollectAsync(["shop/missing-app"], CancellationToken.None);
        var result = ClusterCheck.Run(snapshot);

        // Then
        Assert.Contains(result.Problems, p => p.StartsWith("evidence unavailable: missing permission get configmaps in kube-system (configmap kube-system/coredns)", StringComparison.Ordinal));
        Assert.Contains(result.Problems, p => p.StartsWith("evidence unavailable: missing permission list nodes (cluster scope)", StringComparison.Ordinal));
        Assert.Contains(result.Problems, p => p.StartsWith("evidence unavailable: missing permission list events.events.k8s.io in kube-system", StringComparison.Ordinal));
        Assert.Contains("not found: pod shop/missing-app", result.Problems);
        Assert.Contains(ClusterEvidenceKind.ConfigMaps, snapshot.Unavailable);
        Assert.Contains(ClusterEvidenceKind.Events, snapshot.Unavailable);
        Assert.Null(result.Evidence.Corefile);
        Assert.Contains(result.Findings, f => f.Id == FindingIds.ClusterDnsSingleReplica);
        Assert.Contains(result.Findings, f => f.Id == FindingIds.ClusterDnsUpstreamTimeout);
    }

    [Fact]
    public async Task ReadsEventsV1WhenCoreEventsAreForbidden()
    {
        // Given
        await using var server = await FakeKubeApiServer.StartAsync(ClusterFixtures.Dir(ClusterFixtures.Incident));
        server.Deny.Add("/api/v1/namespaces/kube-system/events");
        var connection = KubernetesConnection.Load(server.WriteKubeconfig(_dir), null, TimeSpan.FromSeconds(10));
        using var client = connection.CreateClient();

        // When
        var snapshot = await new ApiClusterCollector(client, connection.Server, connection.Timeout).CollectAsync([], CancellationToken.None);

        // Then
        Assert.True(snapshot.Problems.Count == 0, string.Join(Environment.NewLine, snapshot.Problems));
        Assert.Equal(4, snapshot.Events.Count);
        Assert.Contains(snapshot.Events, e => e.Reason == "BackOff" && e.Count == 41);
    }

    [Fact]
    public async Task AsksOnlyForWhatTheRbacManifestAllows()
    {
        // Given
        await using var server = await FakeKubeApiServer.StartAsync(ClusterFixtures.Dir(ClusterFixtures.Incident));
        server.Deny.Add("/api/v1/namespaces/kube-system/events");
        var connection = KubernetesConnection.Load(server.WriteKubeconfig(_dir), null, TimeSpan.FromSeconds(10));
        using var client = connection.CreateClient();

        // When
        await new ApiClusterCollector(client, connection.Server, connection.Timeout).CollectAsync(["shop/example-app"], CancellationToken.None);
        var requests = server.Requests.Select(r => ApiRequestMapper.Map(r.Method, r.Path)).Distinct().ToList();

        // Then: every request is one of the declared calls, and every declared call was made
        Assert.All(requests, r => Assert.Contains(ClusterApiCalls.All, call => ApiRequestMapper.Covers(call, r)));
        Assert.All(ClusterApiCalls.All, call => Assert.Contains(requests, r => ApiRequestMapper.Covers(call, r)));
    }

    [Fact]
    public async Task RejectedCredentialsStopTheRunWithOneLine()
    {
        // Given
        await using var server = await FakeKubeApiServer.StartAsync(ClusterFixtures.Dir(ClusterFixtures.Healthy));
        server.RejectCredentials = true;
        var connection = KubernetesConnection.Load(server.WriteKubeconfig(_dir), null, TimeSpan.FromSeconds(10));
        using var client = connection.CreateClient();

        // When
        var error = await Assert.ThrowsAsync<ClusterAccessException>(async () =>
        {
            var snapshot = await new ApiClusterCollector(client, connection.Server, connection.Timeout).CollectAsync([], CancellationToken.None);
            Assert.Fail(string.Join(Environment.NewLine, snapshot.Problems));
        });

        // Then
        Assert.Equal($"{server.Url}: 401 Unauthorized: the api-server rejected the credentials of the kubeconfig", error.Message);
    }

    [Fact]
    public async Task AnApiServerThatNeverAnswersFailsWithinTheTimeout()
    {
        // Given: a listener that accepts connections and never says a word
        using var blackHole = new TcpListener(IPAddress.Loopback, 0);
        blackHole.Start();
        var held = new List<TcpClient>();
        using var stop = new CancellationTokenSource();
        var acceptLoop = Task.Run(async () =>
        {
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    held.Add(await blackHole.AcceptTcpClientAsync(stop.Token));
                }
            }
            catch (OperationCanceledException)
            {
                // Test over.
            }
        });
        var url = $"http://127.0.0.1:{((IPEndPoint)blackHole.LocalEndpoint).Port}";
        var connection = KubernetesConnection.Load(WriteKubeconfig(url), null, TimeSpan.FromSeconds(1));
        using var client = connection.CreateClient();
        var clock = Stopwatch.StartNew();

        // When
        var error = await Assert.ThrowsAsync<ClusterAccessException>(() =>
            new ApiClusterCollector(client, connection.Server, connection.Timeout).CollectAsync([], CancellationToken.None));

        // Then
        clock.Stop();
        await stop.CancelAsync();
        await acceptLoop;
        held.ForEach(c => c.Dispose());
        Assert.Equal($"cannot reach the api-server at {url}: no answer within 1s", error.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task AClosedPortFailsWithTheServerUrl()
    {
        // Given
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var url = $"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}";
        probe.Stop();
        var connection = KubernetesConnection.Load(WriteKubeconfig(url), null, TimeSpan.FromSeconds(5));
        using var client = connection.CreateClient();

        // When
        var error = await Assert.ThrowsAsync<ClusterAccessException>(() =>
            new ApiClusterCollector(client, connection.Server, connection.Timeout).CollectAsync([], CancellationToken.None));

        // Then
        Assert.StartsWith($"cannot reach the api-server at {url}: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("refused", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    private string WriteKubeconfig(string url)
    {
        var path = Path.Combine(_dir, "kubeconfig-" + Guid.NewGuid().ToString("N"));
        File.WriteAllText(path, TestKubeconfig.WithToken(url));
        return path;
    }
}
