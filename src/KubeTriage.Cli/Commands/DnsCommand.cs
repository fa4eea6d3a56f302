using KubeTriage.Bundle;
using KubeTriage.Names;
using KubeTriage.Reports;
using Spectre.Console;
using Spectre.Console.Cli;

namespace KubeTriage.Cli.Commands;

/// <summary>
/// <c>kubetriage dns NAME...</c>: asks every resolver (cluster DNS, its upstreams, the nodes' resolvers)
/// directly, compares the answers with each other and with the expectations, and replays the search list.
/// </summary>
public sealed class DnsCommand : AsyncCommand<DnsSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, DnsSettings settings, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        if (settings.From is not null && !Directory.Exists(settings.From))
        {
            throw new UserErrorException($"--from {settings.From}: not a directory");
        }

        var expectations = LoadExpectations(settings);
        var names = settings.Names.Length > 0
            ? settings.Names.Select(DnsNames.Normalize).Distinct(StringComparer.Ordinal).ToList()
            : DnsNames.FromExpectations(expectations);
        if (names.Count == 0)
        {
            throw new UserErrorException(expectations.Source is null
                ? "dns: give at least one NAME, or --expect FILE whose dependencies name DNS names"
                : $"--expect {expectations.Source}: no dependency name looks like a DNS name; give NAME arguments");
        }

        BundleDnsFacts? bundle;
        try
        {
            bundle = settings.From is null ? null : BundleDnsFacts.Read(settings.From);
        }
        catch (BundleException ex)
        {
            throw new UserErrorException($"--from {settings.From}: {ex.Message}");
        }

        if (bundle is not null)
        {
            problems.AddRange(bundle.Problems);
        }

        // The pod's resolv.conf: the one named, else the bundle's target pod's, else (live, in the pod) the local one.
        ResolvConf? podResolvConf;
        string? podResolvConfPath;
        if (settings.ResolvConf is null && bundle is not null)
        {
            podResolvConf = bundle.PodResolvConf;
            podResolvConfPath = bundle.PodResolvConfSource;
        }
        else
        {
            podResolvConfPath = settings.ResolvConf ?? ResolverDiscovery.DefaultPodResolvConf;
            try
            {
                podResolvConf = ResolverDiscovery.ReadPodResolvConf(podResolvConfPath, required: settings.ResolvConf is not null, problems);
            }
            catch (ResolverDiscoveryException ex)
            {
                throw new UserErrorException(ex.Message);
            }
        }

        var resolvers = ResolverDiscovery.Discover(settings.ParsedResolvers, podResolvConf, podResolvConfPath, bundle);
        if (resolvers.Count == 0)
        {
            throw new UserErrorException(
                $"dns: no resolver to ask ({podResolvConfPath ?? settings.From} names none); give --resolver IP");
        }

        var request = new DnsCheckRequest(names, resolvers, podResolvConf, expectations, settings.ParsedTimeout,
            settings.Retries, settings.Parallel);
        var result = await DnsCheck.RunAsync(request, cancellationToken);
        var report = new Report
        {
            Command = "dns",
            Findings = result.Findings,
            DnsProbes = result.Results,
        };
        report.Problems.AddRange(problems);
        report.Problems.AddRange(result.Problems);
        return ReportOutput.Write(report, settings.ParsedFormat, settings.Output, AnsiConsole.Console);
    }

    private static Expectations LoadExpectations(DnsSettings settings)
    {
        if (settings.Expect is not null)
        {
            return ExpectationsLoader.LoadFile(settings.Expect);
        }

        var bundled = settings.From is null ? null : Path.Combine(settings.From, "expect.yaml");
        return bundled is not null && File.Exists(bundled) ? ExpectationsLoader.LoadFile(bundled) : Expectations.Empty;
    }
}
