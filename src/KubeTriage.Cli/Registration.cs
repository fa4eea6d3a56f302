using Spectre.Console.Cli;

namespace KubeTriage.Cli;

/// <summary>Every verb, in the order `--help` lists them. Each verb adds one line here.</summary>
public static class Registration
{
    public static void AddCommands(IConfigurator config)
    {
        config.AddCommand<Commands.DnsCommand>("dns")
            .WithDescription("Ask every resolver (cluster DNS, its upstreams, the nodes' resolvers) directly; compare the answers with each other and with the expected ranges; replay the pod's search list.")
            .WithExample("dns", "oss.example.com", "--expect", "expect.yaml")
            .WithExample("dns", "--expect", "expect.yaml", "--resolver", "10.96.0.10", "--resolver", "10.0.0.2=upstream")
            .WithExample("dns", "example-api.com", "--from", "bundle/", "--timeout", "500ms", "--format", "json");
    }
}
