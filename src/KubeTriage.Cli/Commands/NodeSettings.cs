using System.ComponentModel;
using System.Net;
using Spectre.Console;
using Spectre.Console.Cli;

namespace KubeTriage.Cli.Commands;

/// <summary>Options of <c>kubetriage node</c>.</summary>
public sealed class NodeSettings : ReportSettings
{
    [CommandOption("--pod-ip <IP>")]
    [Description("A pod address to check (repeatable). Default: every pod found in the node's host routes to veths and in per-pod rules.")]
    public string[] PodIps { get; init; } = [];

    [CommandOption("--netns <NAME>")]
    [Description("Check the named network namespace (ip -n NAME) instead of the current one. PCI checks are skipped unless --sysfs-root is given.")]
    public string? Netns { get; init; }

    [CommandOption("--from <DIR>")]
    [Description("Read collected files instead of this node: a bundle (every node under nodes/) or one node directory (ip-addr.json ip-link.json ip-rule.json ip-route.json resolv.conf sysfs/).")]
    public string? From { get; init; }

    [CommandOption("--sysfs-root <DIR>")]
    [Description("Read PCI devices and interfaces from this sysfs tree instead of /sys (or the collected sysfs/).")]
    public string? SysfsRoot { get; init; }

    [CommandOption("--dst <IP>")]
    [Description("Destination for the pod egress lookups (repeatable). Default: 192.0.2.1 (or another RFC 5737 documentation address that no specific route covers); it is looked up, never sent to.")]
    public string[] Destinations { get; init; } = [];

    public IReadOnlyList<IPAddress> ParsedPodIps => PodIps.Select(IPAddress.Parse).ToList();

    public IReadOnlyList<IPAddress> ParsedDestinations => Destinations.Select(IPAddress.Parse).ToList();

    public override ValidationResult Validate()
    {
        var format = base.Validate();
        if (!format.Successful)
        {
            return format;
        }

        foreach (var ip in PodIps)
        {
            if (!IsAddress(ip))
            {
                return ValidationResult.Error($"--pod-ip: '{ip}' is not an IP address");
            }
        }

        foreach (var ip in Destinations)
        {
            if (!IsAddress(ip))
            {
                return ValidationResult.Error($"--dst: '{ip}' is not an IP address");
            }
        }

        if (From is not null && Netns is not null)
        {
            return ValidationResult.Error("--from and --netns: pick one (collected files, or a live namespace)");
        }

        if (From is not null && !Directory.Exists(From))
        {
            return ValidationResult.Error($"--from {From}: no such directory");
        }

        if (SysfsRoot is not null && !Directory.Exists(SysfsRoot))
        {
            return ValidationResult.Error($"--sysfs-root {SysfsRoot}: no such directory");
        }

        if (Netns is not null && (Netns.Length == 0 || Netns.Contains('/', StringComparison.Ordinal)))
        {
            return ValidationResult.Error($"--netns: '{Netns}' is not a namespace name");
        }

        return ValidationResult.Success();
    }

    /// <summary>A full dotted-quad IPv4 or an IPv6 address; not the inet_aton shorthands ("1.2.3" is 1.2.0.3 to IPAddress).</summary>
    internal static bool IsAddress(string text) =>
        IPAddress.TryParse(text, out var ip)
        && (ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 || ip.ToString() == text);
}
