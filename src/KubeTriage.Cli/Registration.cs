using Spectre.Console.Cli;

namespace KubeTriage.Cli;

/// <summary>Every verb, in the order `--help` lists them. Each verb adds one line here.</summary>
public static class Registration
{
    public static void AddCommands(IConfigurator config)
    {
        config.AddCommand<Commands.ClusterCommand>("cluster")
            .WithDescription("Check cluster DNS (CoreDNS replicas, restarts, endpoints, Corefile, logs) and a pod's nameserver, live or from a bundle")
            .WithExample("cluster")
            .WithExample("cluster", "--kubeconfig", "admin.conf", "--context", "prod", "-n", "shop", "--pod", "example-app-7d9c")
            .WithExample("cluster", "--from", "bundle/", "--format", "json", "-o", "cluster.json");
    }
}
