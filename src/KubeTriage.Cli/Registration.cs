using Spectre.Console.Cli;

namespace KubeTriage.Cli;

/// <summary>Every verb, in the order `--help` lists them. Each verb adds one line here.</summary>
public static class Registration
{
    public static void AddCommands(IConfigurator config)
    {
        Commands.NodeRegistration.Add(config);
    }
}
