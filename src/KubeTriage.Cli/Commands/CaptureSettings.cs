using System.ComponentModel;
using KubeTriage.Capture.Files;
using KubeTriage.Capture.Primitives;
using Spectre.Console;
using Spectre.Console.Cli;

namespace KubeTriage.Cli.Commands;

/// <summary>Options of <c>capture</c>: the files, the pod's addresses, expectations and the slow-query threshold.</summary>
public class CaptureSettings : ReportSettings
{
    [CommandArgument(0, "[FILE]")]
    [Description("pcap or pcapng files (any mix, any link type, gzip-compressed or not; '-' reads standard input; a directory stands for the capture files in it); several files are merged in time order, e.g. eth0.pcap eth1.pcap.gz.")]
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

    [CommandOption("--ip-link <FILE>")]
    [Description("The node the capture was taken on, as 'ip -j link' or 'ip -j addr' output (a pipe works: --ip-link <(ip -j addr)): names the interfaces of a 'tcpdump -i any' capture, which records only their index; 'ip -j addr' also tells which NIC holds the pod subnet when the capture saw nothing on it. Default: the bundle's nodes/NODE/ip-link.json and ip-addr.json when the files are in a bundle's captures/ folder with one node.")]
    public string? IpLink { get; init; }

    [CommandOption("--live")]
    [Description("Capture on this node with libpcap instead of reading files, filtered by the pod's addresses, then analyse (needs root). See -i, --duration, --write.")]
    public bool Live { get; init; }

    [CommandOption("-i|--interface <IF>")]
    [Description("With --live: an interface to capture on (repeatable; 'any' allowed). Default: every interface that is up, except loopback.")]
    public string[] Interfaces { get; init; } = [];

    [CommandOption("--duration <DURATION>")]
    [Description("With --live: how long to capture, e.g. 30s, 2m, 1h. Default: 30s. Ctrl-C stops early and still analyses what was captured.")]
    public string? Duration { get; init; }

    [CommandOption("--write <FILE>")]
    [Description("With --live: also save the captured packets to FILE (pcapng, one interface block per interface, with its name).")]
    public string? Write { get; init; }

    public IReadOnlyList<NetAddress> ParsedPodIps => PodIps.Select(NetAddress.Parse).ToList();

    /// <summary>The files to read: each FILE as given, a directory replaced by the capture files in it (by name, sorted).</summary>
    public IReadOnlyList<string> CaptureFiles() =>
        Files.SelectMany(f => !StandardInputArgument.IsStandardInput(f) && Directory.Exists(f) ? CapturesIn(f) : [f]).ToList();

    private static List<string> CapturesIn(string directory) =>
        Directory.GetFiles(directory)
            .Where(f => CaptureFileName.TryParse(Path.GetFileName(f), out _))
            .Order(StringComparer.Ordinal)
            .ToList();

    public override ValidationResult Validate()
    {
        var format = base.Validate();
        if (!format.Successful)
        {
            return format;
        }

        if (Live || Interfaces.Length > 0 || Duration is not null || Write is not null)
        {
            var live = NodeLiveCaptureSettings.Validate(this);
            if (!live.Successful)
            {
                return live;
            }
        }

        if (Files.Length == 0 && !Live)
        {
            return ValidationResult.Error("capture: give at least one capture file");
        }

        if (Files.Count(StandardInputArgument.IsStandardInput) > 1)
        {
            return ValidationResult.Error("capture: standard input ('-') can be read only once");
        }

        foreach (var file in Files)
        {
            if (StandardInputArgument.IsStandardInput(file))
            {
                if (!Console.IsInputRedirected)
                {
                    // Reading a terminal would wait for ever: say what to do instead.
                    return ValidationResult.Error($"{file}: standard input is a terminal; pipe a capture in, e.g. tcpdump -i any -w - | kubetriage capture -");
                }

                continue;
            }

            if (Directory.Exists(file))
            {
                if (CapturesIn(file).Count == 0)
                {
                    return ValidationResult.Error($"{file}: a directory with no capture file in it (*.pcap, *.pcapng, *.cap, ring buffers' eth0.pcap1, each maybe .gz)");
                }

                continue;
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

        if (IpLink is not null && !File.Exists(IpLink))
        {
            return ValidationResult.Error($"--ip-link {IpLink}: no such file");
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
