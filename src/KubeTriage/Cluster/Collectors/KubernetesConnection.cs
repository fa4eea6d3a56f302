using k8s;
using k8s.Exceptions;
using k8s.KubeConfigModels;

namespace KubeTriage.Cluster.Collectors;

/// <summary>
/// A client configuration found the way kubectl finds one: <c>--kubeconfig F</c>, else every existing file of
/// <c>KUBECONFIG</c> merged (the first file to set a value wins, as in kubectl), else <c>~/.kube/config</c>, else the in-cluster service account; <c>--context C</c> picks
/// the context. Every request is bounded by <see cref="Timeout"/> (connect included) so an unreachable api-server
/// never hangs the run.
/// </summary>
public sealed record KubernetesConnection(KubernetesClientConfiguration Config, string Server, string Origin, TimeSpan Timeout)
{
    public static KubernetesConnection Load(string? kubeconfig, string? context, TimeSpan timeout, Func<string, string?>? environment = null, string? home = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        home ??= Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var (files, origin) = FindFiles(kubeconfig, environment, home);
        KubernetesClientConfiguration config;
        if (files.Count == 0)
        {
            if (!KubernetesClientConfiguration.IsInCluster())
            {
                throw new ClusterAccessException("no kubeconfig: pass --kubeconfig FILE, set KUBECONFIG, create ~/.kube/config, or run inside a pod with a service account");
            }

            if (context is not null)
            {
                throw new ClusterAccessException($"--context {context}: there is no kubeconfig file to take a context from (running with the in-cluster service account)");
            }

            try
            {
                config = KubernetesClientConfiguration.InClusterConfig();
            }
            catch (Exception ex) when (ex is KubeConfigException or IOException or UnauthorizedAccessException)
            {
                throw new ClusterAccessException($"in-cluster configuration: {OneLine(ex.Message)}");
            }

            origin = "in-cluster service account";
        }
        else
        {
            try
            {
                config = files.Count == 1
                    ? KubernetesClientConfiguration.BuildConfigFromConfigFile(files[0], currentContext: context)
                    : KubernetesClientConfiguration.BuildConfigFromConfigObject(
                        Merge(files),
                        currentContext: context);
            }
            catch (KubeConfigException ex)
            {
                throw new ClusterAccessException($"{origin}: {OneLine(ex.Message)}");
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                throw new ClusterAccessException($"{origin}: not a usable kubeconfig: {OneLine(ex.Message)}");
            }
        }

        if (string.IsNullOrWhiteSpace(config.Host))
        {
            throw new ClusterAccessException($"{origin}: the selected cluster has no server URL");
        }

        config.HttpClientTimeout = timeout;
        config.FirstMessageHandlerSetup = handler => handler.ConnectTimeout = timeout;
        return new KubernetesConnection(config, config.Host.TrimEnd('/'), origin, timeout);
    }

    public IKubernetes CreateClient() => new Kubernetes(Config);

    private static (IReadOnlyList<string> Files, string Origin) FindFiles(string? kubeconfig, Func<string, string?> environment, string home)
    {
        if (!string.IsNullOrWhiteSpace(kubeconfig))
        {
            return File.Exists(kubeconfig)
                ? ([kubeconfig], $"--kubeconfig {kubeconfig}")
                : throw new ClusterAccessException($"--kubeconfig {kubeconfig}: file not found");
        }

        var variable = environment("KUBECONFIG");
        if (!string.IsNullOrWhiteSpace(variable))
        {
            var paths = variable.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var existing = paths.Where(File.Exists).Distinct(StringComparer.Ordinal).ToList();
            return existing.Count switch
            {
                0 => throw new ClusterAccessException($"KUBECONFIG={variable}: no such file"),
                1 => (existing, $"KUBECONFIG file {existing[0]}"),
                _ => (existing, $"KUBECONFIG files {string.Join(Path.PathSeparator, existing)}"),
            };
        }

        var defaultPath = Path.Combine(home, ".kube", "config");
        return File.Exists(defaultPath) ? ([defaultPath], defaultPath) : ([], string.Empty);
    }

    /// <summary>kubectl's merge: the first file to define a cluster, user or context by name wins, and so does the first current-context.</summary>
    private static K8SConfiguration Merge(IReadOnlyList<string> files)
    {
        var configs = files.Select(f => KubernetesClientConfiguration.LoadKubeConfig(new FileInfo(f))).ToList();
        return new K8SConfiguration
        {
            ApiVersion = "v1",
            Kind = "Config",
            CurrentContext = configs.Select(c => c.CurrentContext).FirstOrDefault(c => !string.IsNullOrEmpty(c)),
            Clusters = configs.SelectMany(c => c.Clusters ?? []).DistinctBy(c => c.Name).ToList(),
            Users = configs.SelectMany(c => c.Users ?? []).DistinctBy(u => u.Name).ToList(),
            Contexts = configs.SelectMany(c => c.Contexts ?? []).DistinctBy(c => c.Name).ToList(),
        };
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
