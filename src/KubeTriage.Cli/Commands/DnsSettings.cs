using System.ComponentModel;
using KubeTriage.Names;
using Spectre.Console;
using Spectre.Console.Cli;

namespace KubeTriage.Cli.Commands;

/// <summary>Options of <c>kubetriage dns</c>.</summary>
public sealed class DnsSettings : ReportSettings
{
    [CommandArgument(0, "[NAME]")]
    [Description("DNS names to ask, one or more (dns oss.example.com example-api.com). Default: every dependency of --expect FILE that looks like a DNS name.")]
    public string[] Names { get; init; } = [];

    [CommandOption("--resolver <IP>")]
    [Description("A resolver to ask: IP, IP:port or [[IPv6]]:port, optionally =cluster-dns|upstream|node. Repeatable. "
        + "Given: only these are asked. Default: the pod's resolv.conf nameservers (cluster DNS), and with --from "
        + "the kube-dns Service and each node's resolv.conf.")]
    public string[] Resolvers { get; init; } = [];

    [CommandOption("--expect <FILE>")]
    [Description("Expectations file (YAML): the names' resolvesTo ranges, and the names to ask when no NAME is given.")]
    public string? Expect { get; init; }

    [CommandOption("--timeout <DURATION>")]
    [Description("How long one DNS exchange may take: 500ms, 2s, 1m. Default: 2s.")]
    [DefaultValue("2s")]
    public string Timeout { get; init; } = "2s";

    [CommandOption("--retries <N>")]
    [Description("Extra tries after a timeout or network error. Default: 0 (one try, so a silent resolver shows).")]
    [DefaultValue(0)]
    public int Retries { get; init; }

    [CommandOption("--from <DIR>")]
    [Description("A bundle directory: cluster/resources.json (kube-dns Service, coredns ConfigMap) and nodes/*/resolv.conf name the resolvers and their roles.")]
    public string? From { get; init; }

    [CommandOption("--resolv-conf <FILE>")]
    [Description("The pod's resolv.conf: its nameservers are cluster DNS, its search list and ndots drive the search-list replay. Default: /etc/resolv.conf (without --from).")]
    public string? ResolvConf { get; init; }

    [CommandOption("--parallel <N>")]
    [Description("At most this many DNS exchanges in flight at once. Default: 16.")]
    [DefaultValue(DnsCheck.DefaultMaxParallel)]
    public int Parallel { get; init; } = DnsCheck.DefaultMaxParallel;

    /// <summary>The longest wait for one DNS exchange that makes sense; beyond it a silent resolver would look like a hang.</summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromMinutes(1);

    public TimeSpan ParsedTimeout =>
        DurationText.TryParse(Timeout, out var timeout) && timeout <= MaxTimeout ? timeout : throw new UserErrorException(TimeoutError);

    public IReadOnlyList<DnsResolver> ParsedResolvers => Resolvers
        .Select(text => ResolverArgument.TryParse(text, out var resolver, out var error) ? resolver : throw new UserErrorException(error))
        .ToList();

    private string TimeoutError => $"--timeout: '{Timeout}' is not a duration (e.g. 500ms, 2s, 1m)";

    public override ValidationResult Validate()
    {
        var baseResult = base.Validate();
        if (!baseResult.Successful)
        {
            return baseResult;
        }

        if (Names.Length == 0 && Expect is null && From is null)
        {
            return ValidationResult.Error("dns: give at least one NAME, or --expect FILE whose dependencies name DNS names");
        }

        foreach (var name in Names)
        {
            if (!DnsNames.IsValidName(name))
            {
                return ValidationResult.Error($"dns: '{name}' is not a DNS name");
            }
        }

        foreach (var text in Resolvers)
        {
            if (!ResolverArgument.TryParse(text, out _, out var error))
            {
                return ValidationResult.Error(error);
            }
        }

        if (!DurationText.TryParse(Timeout, out var timeout))
        {
            return ValidationResult.Error(TimeoutError);
        }

        if (timeout > MaxTimeout)
        {
            return ValidationResult.Error($"--timeout: '{Timeout}' is longer than one DNS exchange should wait (at most 1m)");
        }

        if (Retries is < 0 or > 10)
        {
            return ValidationResult.Error($"--retries: {Retries} is not between 0 and 10");
        }

        if (Parallel is < 1 or > 256)
        {
            return ValidationResult.Error($"--parallel: {Parallel} is not between 1 and 256");
        }

        return ValidationResult.Success();
    }
}
