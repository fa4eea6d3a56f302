using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Serialization;

namespace KubeTriage.Node;

/// <summary>
/// One routing policy rule (<c>ip -j rule</c>). <see cref="Action"/> is "lookup" (then <see cref="Table"/> is set),
/// "goto" (<see cref="GotoPriority"/>), "nop", or a terminal "unreachable" / "blackhole" / "prohibit".
/// <see cref="Unmodelled"/> names selectors the route simulator cannot evaluate (ipproto, dport, uidrange…).
/// </summary>
public sealed record PolicyRule(
    int Priority,
    bool Not,
    [property: JsonConverter(typeof(IPNetworkJsonConverter))] IPNetwork From,
    [property: JsonConverter(typeof(IPNetworkJsonConverter))] IPNetwork To,
    string? Iif,
    string? Oif,
    uint? FwMark,
    uint? FwMask,
    string Action,
    string? Table,
    int? GotoPriority,
    int? SuppressPrefixLength,
    IReadOnlyList<string> Unmodelled)
{
    public const string Lookup = "lookup";

    public bool IsLookup => Action == Lookup && Table is not null;

    /// <summary>A rule that selects exactly one source address (<c>from 198.18.1.20</c>), as per-pod rules do.</summary>
    public bool SelectsSingleSource => !Not && IpPrefix.IsHost(From);

    /// <summary>The rule as <c>ip rule</c> prints it, e.g. "1536: from 198.18.1.20 lookup 2".</summary>
    public string Text
    {
        get
        {
            var text = new StringBuilder();
            text.Append(CultureInfo.InvariantCulture, $"{Priority}: ");
            if (Not)
            {
                text.Append("not ");
            }

            text.Append("from ").Append(From.PrefixLength == 0 ? "all" : IpPrefix.Format(From));
            if (To.PrefixLength != 0)
            {
                text.Append(" to ").Append(IpPrefix.Format(To));
            }

            if (FwMark is { } mark)
            {
                text.Append(CultureInfo.InvariantCulture, $" fwmark 0x{mark:x}");
                if (FwMask is { } mask and not uint.MaxValue)
                {
                    text.Append(CultureInfo.InvariantCulture, $"/0x{mask:x}");
                }
            }

            if (Iif is not null)
            {
                text.Append(" iif ").Append(Iif);
            }

            if (Oif is not null)
            {
                text.Append(" oif ").Append(Oif);
            }

            foreach (var selector in Unmodelled)
            {
                text.Append(' ').Append(selector);
            }

            text.Append(Action switch
            {
                Lookup => $" lookup {Table}",
                "goto" => $" goto {GotoPriority}",
                _ => $" {Action}",
            });
            if (SuppressPrefixLength is { } suppress)
            {
                text.Append(CultureInfo.InvariantCulture, $" suppress_prefixlength {suppress}");
            }

            return text.ToString();
        }
    }

    public override string ToString() => Text;
}
