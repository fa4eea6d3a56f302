using System.Net;
using System.Text;

namespace KubeTriage.Names;

/// <summary>
/// What "normal" looks like for the app: every peer it should talk to, the addresses its names
/// should resolve to, and the slow-query threshold. Shared by <c>capture --expect</c>, <c>dns --expect</c>
/// and <c>diagnose</c>; loaded by <see cref="ExpectationsLoader"/>.
/// </summary>
public sealed record Expectations(IReadOnlyList<ExpectedDependency> Dependencies, int? SlowQueryMs)
{
    public static Expectations Empty { get; } = new([], null);

    /// <summary>The file the expectations came from (as given to the loader), null when built in code.</summary>
    public string? Source { get; init; }

    /// <summary><c>expect.yaml:7</c>: where a dependency is written, for evidence lines.</summary>
    public string LocationOf(ExpectedDependency dependency) =>
        Source is null ? $"expectations line {dependency.Line}" : $"{Source}:{dependency.Line}";

    /// <summary>The dependency a DNS name belongs to (case-insensitive, trailing dot ignored).</summary>
    public ExpectedDependency? ForName(string name)
    {
        var n = name.TrimEnd('.');
        return Dependencies.FirstOrDefault(d => string.Equals(d.Name.TrimEnd('.'), n, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The YAML text of these expectations, in the contract's shape.</summary>
    public string ToYaml()
    {
        var yaml = new StringBuilder();
        yaml.AppendLine("dependencies:                     # every peer the app should talk to");
        foreach (var d in Dependencies)
        {
            yaml.AppendLine($"  - name: {d.Name}");
            if (d.Address is not null)
            {
                yaml.AppendLine($"    address: {d.Address}");
            }

            if (d.ResolvesTo.Count > 0)
            {
                yaml.AppendLine($"    resolvesTo: [{string.Join(", ", d.ResolvesTo)}]");
            }
        }

        if (SlowQueryMs is { } ms)
        {
            yaml.AppendLine($"slowQueryMs: {ms}");
        }

        return yaml.ToString();
    }
}

/// <summary>
/// One expected peer: a name (DNS name or label), optionally a fixed address (<c>IP</c> or <c>IP:port</c>),
/// and the networks its name must resolve into.
/// </summary>
public sealed record ExpectedDependency(string Name, string? Address, IReadOnlyList<IPNetwork> ResolvesTo, int Line)
{
    public IPAddress? AddressIp => Address is null ? null : SplitAddress(Address).Ip;

    public int? AddressPort => Address is null ? null : SplitAddress(Address).Port;

    /// <summary>True when the name has resolvesTo ranges and the address falls in none of them.</summary>
    public bool IsUnexpected(IPAddress address) =>
        ResolvesTo.Count > 0 && !ResolvesTo.Any(n => n.Contains(address));

    internal static (IPAddress? Ip, int? Port) SplitAddress(string text)
    {
        if (IPAddress.TryParse(text, out var bare))
        {
            return (bare, null);
        }

        if (IPEndPoint.TryParse(text, out var ep))
        {
            return (ep.Address, ep.Port == 0 ? null : ep.Port);
        }

        return (null, null);
    }
}
