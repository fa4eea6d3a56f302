using System.ComponentModel;
using KubeTriage.Capture.Primitives;
using Spectre.Console;
using Spectre.Console.Cli;

namespace KubeTriage.Cli.Commands;

/// <summary>Options of <c>capture</c>: the files, the pod's addresses, expectations and the slow-query threshold.</summary>
public class CaptureSettings : ReportSettings
{
    [CommandArgument(0, "<FILE>")]
    [Description("pcap or pcapng files (any mix, any link type); several files are merged in time order, e.g. eth0.pcap eth1.pcap.")]
    public string[] Files { get; init; } = [];

    [CommandOption("--pod-ip <IP>")]
    [Description("The pod's address (repeat for IPv4 and IPv6). Default: inferred as the most active client in the capture.")]
    public string[] PodIps { get; init; } = [];

    [CommandOption("--expect <FILE>")]
    [Description("Expectations file (YAML): the app's dependencies and the ranges their names must resolve to.")]
    public string? Expect { get; init; }

    [CommandOption("--slow-query-ms <N>")]
    [Description("MySQL commands at least this slow are reported. Default: the expectations' slowQueryMs, else 1000.")]
    public int? SlowQueryMs { get; init; }

    [CommandOption("--write-expect <FILE>")]
    [Description("Write a draft expectations file from this (healthy) capture: every peer, the ranges its names resolved to.")]
    public string? WriteExpect { get; init; }

    public IReadOnlyList<NetAddress> ParsedPodIps => PodIps.Select(NetAddress.Parse).ToList();

    public override ValidationResult Validate()
    {
        var format = base.Validate();
        if (!format.Successful)
        {
            return format;
        }

        if (Files.Length == 0)
        {
            return ValidationResult.Error("capture: give at least one capture file");
        }

        foreach (var file in Files)
        {
            if (Directory.Exists(file))
            {
                return ValidationResult.Error($"{file}: is a directory, not a capture file");
            }

            if (!File.Exists(file))
            {
                return ValidationResult.Error($"{file}: no such file");
            }
        }

        foreach (var ip in PodIps)
        {
            if (!NetAddress.TryParse(ip, out _))
            {
                return ValidationResult.Error($"--pod-ip: '{ip}' is not an IPv4 or IPv6 address");
            }
        }

        if (Expect is not null && !File.Exists(Expect))
        {
            return ValidationResult.Error($"--expect {Expect}: no such file");
        }

        if (SlowQueryMs is < 0)
        {
            return ValidationResult.Error($"--slow-query-ms: {SlowQueryMs} must be 0 or more");
        }

        if (WriteExpect is not null && Path.GetDirectoryName(Path.GetFullPath(WriteExpect)) is { } dir && !Directory.Exists(dir))
        {
            return ValidationResult.Error($"--write-expect {WriteExpect}: directory {dir} does not exist");
        }

        return ValidationResult.Success();
    }
}
