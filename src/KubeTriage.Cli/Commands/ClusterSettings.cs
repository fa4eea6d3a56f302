using System.ComponentModel;
using System.Globalization;
using Spectre.Console;
using Spectre.Console.Cli;

namespace KubeTriage.Cli.Commands;

/// <summary>Options of <c>kubetriage cluster</c>.</summary>
public sealed class ClusterSettings : ReportSettings
{
    [CommandOption("--kubeconfig <FILE>")]
    [Description("Kubeconfig file. Default: the first file of KUBECONFIG, else ~/.kube/config, else the in-cluster service account.")]
    public string? Kubeconfig { get; init; }

    [CommandOption("--context <NAME>")]
    [Description("Kubeconfig context to use. Default: the current context.")]
    public string? Context { get; init; }

    [CommandOption("-n|--namespace <NS>")]
    [Description("Namespace of --pod. Default: the context's namespace, else 'default'.")]
    public string? Namespace { get; init; }

    [CommandOption("--pod <NAME>")]
    [Description("The app pod whose DNS setup to check (NAME or NS/NAME; repeatable). With --from and no --pod: every pod that has cluster/pods/NS/POD/resolv.conf.")]
    public string[] Pods { get; init; } = [];

    [CommandOption("--from <DIR>")]
    [Description("Read a collected bundle directory (cluster/resources.json, cluster/logs/...) instead of the live API.")]
    public string? From { get; init; }

    [CommandOption("--request-timeout <DURATION>")]
    [Description("Bound on each API request, connect included (e.g. 5s, 500ms, 1m). Default: 10s.")]
    [DefaultValue("10s")]
    public string RequestTimeout { get; init; } = "10s";

    public TimeSpan ParsedTimeout => TryParseDuration(RequestTimeout, out var t) ? t : TimeSpan.FromSeconds(10);

    public override ValidationResult Validate()
    {
        var baseResult = base.Validate();
        if (!baseResult.Successful)
        {
            return baseResult;
        }

        if (From is not null && (Kubeconfig is not null || Context is not null))
        {
            return ValidationResult.Error("--from reads a bundle directory; --kubeconfig and --context are for the live API: use one or the other");
        }

        if (!TryParseDuration(RequestTimeout, out var timeout) || timeout <= TimeSpan.Zero || timeout > TimeSpan.FromMinutes(10))
        {
            return ValidationResult.Error($"--request-timeout: '{RequestTimeout}' is not a duration between 1ms and 10m (e.g. 10s, 500ms, 1m)");
        }

        foreach (var pod in Pods)
        {
            var parts = pod.Split('/');
            if (parts.Length > 2 || parts.Any(p => p.Length == 0))
            {
                return ValidationResult.Error($"--pod: '{pod}' is not NAME or NAMESPACE/NAME");
            }

            if (parts.Length == 2 && Namespace is not null && parts[0] != Namespace)
            {
                return ValidationResult.Error($"--pod {pod} names namespace '{parts[0]}' but -n says '{Namespace}'");
            }
        }

        if (Namespace is not null && Pods.Length == 0)
        {
            return ValidationResult.Error("-n/--namespace is the namespace of --pod: give --pod NAME too");
        }

        return ValidationResult.Success();
    }

    /// <summary>The target pods as <c>namespace/name</c>.</summary>
    public IReadOnlyList<string> TargetPods(string defaultNamespace) =>
        Pods.Select(p => p.Contains('/', StringComparison.Ordinal) ? p : $"{Namespace ?? defaultNamespace}/{p}").Distinct(StringComparer.Ordinal).ToList();

    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var t = text.Trim().ToLowerInvariant();
        (string number, double scale) = t switch
        {
            _ when t.EndsWith("ms", StringComparison.Ordinal) => (t[..^2], 0.001),
            _ when t.EndsWith('s') => (t[..^1], 1.0),
            _ when t.EndsWith('m') => (t[..^1], 60.0),
            _ => (t, 1.0),
        };
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || double.IsNaN(value) || value > 86400)
        {
            return false;
        }

        duration = TimeSpan.FromSeconds(value * scale);
        return true;
    }
}
