namespace KubeTriage.Lab;

/// <summary>Kubeconfig files for tests that talk to a local test server: one cluster, one context, a token user.</summary>
public static class TestKubeconfig
{
    /// <summary>The YAML of a kubeconfig whose only context points at <paramref name="serverUrl"/> with token <c>t</c>.</summary>
    public static string WithToken(string serverUrl) => $"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: c
          cluster:
            server: {serverUrl}
        contexts:
        - name: c
          context:
            cluster: c
            user: u
        current-context: c
        users:
        - name: u
          user:
            token: t
        """;
}
