using KubeTriage.Capture.Primitives;

namespace KubeTriage.Wire;

/// <summary>
/// One distinct address answer a resolver gave for a name (A/AAAA, CNAME chains followed), with when it was
/// first seen: the evidence for "this name resolved to that address".
/// </summary>
public sealed record DnsAnswerGroup
{
    /// <summary>The name asked, lower case, no trailing dot.</summary>
    public required string Name { get; init; }

    public required NetAddress Server { get; init; }

    public required NetAddress Client { get; init; }

    public ushort Type { get; init; }

    public IReadOnlyList<string> Addresses { get; init; } = [];

    public long Count { get; init; }

    public long FirstTimeNs { get; init; }

    public long FirstQueryFrame { get; init; }

    public string File { get; init; } = string.Empty;
}
