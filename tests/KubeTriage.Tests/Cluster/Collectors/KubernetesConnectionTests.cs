using KubeTriage.Cluster.Collectors;

namespace KubeTriage.Tests.Cluster.Collectors;

public sealed class KubernetesConnectionTests : IDisposable
{
    private const string TwoContexts = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: lab
          cluster:
            server: https://198.18.0.5:6443
            insecure-skip-tls-verify: true
        - name: other
          cluster:
            server: https://198.18.0.6:6443
            insecure-skip-tls-verify: true
        contexts:
        - name: lab
          context: {cluster: lab, user: u, namespace: shop}
        - name: other
          context: {cluster: other, user: u}
        current-context: lab
        users:
        - name: u
          user: {token: t}
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("kt-cluster-kubeconfig-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void UsesTheKubeconfigFlagAndItsCurrentContext()
    {
        // Given
        var file = Write("config", TwoContexts);

        // When
        var connection = KubernetesConnection.Load(file, null, TimeSpan.FromSeconds(3), _ => null, _dir);

        // Then
        Assert.Equal("https://198.18.0.5:6443", connection.Server);
        Assert.Equal("shop", connection.Config.Namespace);
        Assert.Equal(TimeSpan.FromSeconds(3), connection.Config.HttpClientTimeout);
    }

    [Fact]
    public void PicksTheRequestedContext()
    {
        // Given
        var file = Write("config", TwoContexts);

        // When
        var connection = KubernetesConnection.Load(file, "other", TimeSpan.FromSeconds(3), _ => null, _dir);

        // Then
        Assert.Equal("https://198.18.0.6:6443", connection.Server);
    }

    [Fact]
    public void TakesTheFirstExistingFileOfKubeconfigThenTheHomeDefault()
    {
        // Given
        var file = Write("second", TwoContexts);
        Directory.CreateDirectory(Path.Combine(_dir, ".kube"));
        File.WriteAllText(Path.Combine(_dir, ".kube", "config"), TwoContexts.Replace("current-context: lab", "current-context: other", StringComparison.Ordinal));
        var variable = $"{Path.Combine(_dir, "absent")}{Path.PathSeparator}{file}";

        // When
        var fromVariable = KubernetesConnection.Load(null, null, TimeSpan.FromSeconds(3), name => name == "KUBECONFIG" ? variable : null, _dir);
        var fromHome = KubernetesConnection.Load(null, null, TimeSpan.FromSeconds(3), _ => null, _dir);

        // Then
        Assert.Equal("https://198.18.0.5:6443", fromVariable.Server);
        Assert.Equal("https://198.18.0.6:6443", fromHome.Server);
    }

    [Fact]
    public void MergesEveryExistingFileOfKubeconfigLikeKubectl()
    {
        // Given: the first file holds the current context, the second one only another cluster's context
        var first = Write("first", TwoContexts);
        var second = Write("extra", """
            apiVersion: v1
            kind: Config
            clusters:
            - name: extra
              cluster:
                server: https://198.18.0.7:6443
                insecure-skip-tls-verify: true
            contexts:
            - name: extra
              context: {cluster: extra, user: x}
            current-context: extra
            users:
            - name: x
              user: {token: x}
            """);
        var variable = $"{first}{Path.PathSeparator}{Path.Combine(_dir, "absent")}{Path.PathSeparator}{second}";

        // When
        var current = KubernetesConnection.Load(null, null, TimeSpan.FromSeconds(3), name => name == "KUBECONFIG" ? variable : null, _dir);
        var fromSecond = KubernetesConnection.Load(null, "extra", TimeSpan.FromSeconds(3), name => name == "KUBECONFIG" ? variable : null, _dir);

        // Then: the first file's current-context wins; a context defined only in the second file is found
        Assert.Equal("https://198.18.0.5:6443", current.Server);
        Assert.Equal("https://198.18.0.7:6443", fromSecond.Server);
    }

    [Fact]
    public void AMissingFileIsOneLine()
    {
        // Given
        var file = Path.Combine(_dir, "nope.yaml");

        // When
        var error = Assert.Throws<ClusterAccessException>(() => KubernetesConnection.Load(file, null, TimeSpan.FromSeconds(3), _ => null, _dir));

        // Then
        Assert.Equal($"--kubeconfig {file}: file not found", error.Message);
    }

    [Fact]
    public void AnUnknownContextIsOneLine()
    {
        // Given
        var file = Write("config", TwoContexts);

        // When
        var error = Assert.Throws<ClusterAccessException>(() => KubernetesConnection.Load(file, "staging", TimeSpan.FromSeconds(3), _ => null, _dir));

        // Then
        Assert.StartsWith($"--kubeconfig {file}: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("staging", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Theory]
    [InlineData("this is: [not, a kubeconfig")]
    [InlineData("apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n")]
    [InlineData("\u0000\u0001\u0002garbage")]
    public void AGarbageFileIsOneLine(string content)
    {
        // Given
        var file = Write("bad", content);

        // When
        var error = Assert.Throws<ClusterAccessException>(() => KubernetesConnection.Load(file, null, TimeSpan.FromSeconds(3), _ => null, _dir));

        // Then
        Assert.StartsWith($"--kubeconfig {file}: ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void AnExecCredentialPluginThatCannotRunIsOneLine()
    {
        // Given
        var file = Write("exec", """
            apiVersion: v1
            kind: Config
            clusters:
            - name: c
              cluster: {server: "http://127.0.0.1:9"}
            contexts:
            - name: c
              context: {cluster: c, user: u}
            current-context: c
            users:
            - name: u
              user:
                exec:
                  apiVersion: client.authentication.k8s.io/v1beta1
                  command: /nonexistent/get-token
            """);

        // When
        var error = Assert.Throws<ClusterAccessException>(() => KubernetesConnection.Load(file, null, TimeSpan.FromSeconds(3), _ => null, _dir));

        // Then
        Assert.StartsWith($"--kubeconfig {file}: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("/nonexistent/get-token", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AKubeconfigVariableNamingNoFileIsOneLine()
    {
        // Given
        var variable = Path.Combine(_dir, "gone");

        // When
        var error = Assert.Throws<ClusterAccessException>(() => KubernetesConnection.Load(null, null, TimeSpan.FromSeconds(3), name => name == "KUBECONFIG" ? variable : null, _dir));

        // Then
        Assert.Equal($"KUBECONFIG={variable}: no such file", error.Message);
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        return path;
    }
}
