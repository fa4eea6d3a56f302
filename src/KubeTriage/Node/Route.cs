using System.Net;
using System.Text;
using System.Text.Json.Serialization;

namespace KubeTriage.Node;

/// <summary>
/// One route of <c>ip -j route show table all</c>. <see cref="Table"/> is normalised: a missing key is "main",
/// and 253/254/255 read as "default"/"main"/"local"; other tables keep what ip printed ("2", "eni-1").
/// <see cref="Type"/> is "unicast" when ip printed no type.
/// </summary>
public sealed record Route(
    string Family,
    string Table,
    string Type,
    [property: JsonConverter(typeof(IPNetworkJsonConverter))] IPNetwork Destination,
    [property: JsonConverter(typeof(IPAddressJsonConverter))] IPAddress? Gateway,
    string? Dev,
    string? Protocol,
    string? Scope,
    [property: JsonConverter(typeof(IPAddressJsonConverter))] IPAddress? PrefSrc,
    int? Metric,
    IReadOnlyList<string> Flags)
{
    public const string Unicast = "unicast";

    public bool IsDefault => Destination.PrefixLength == 0;

    public bool IsV4 => Family == "inet";

    /// <summary>The route as <c>ip route show table T</c> prints it, e.g. "default via 198.18.1.1 dev eth1".</summary>
    public string Text
    {
        get
        {
            var text = new StringBuilder();
            if (Type != Unicast)
            {
                text.Append(Type).Append(' ');
            }

            text.Append(IpPrefix.Format(Destination));
            if (Gateway is not null)
            {
                text.Append(" via ").Append(Gateway);
            }

            if (Dev is not null)
            {
                text.Append(" dev ").Append(Dev);
            }

            if (Protocol is not null)
            {
                text.Append(" proto ").Append(Protocol);
            }

            if (Scope is not null and not "global")
            {
                text.Append(" scope ").Append(Scope);
            }

            if (PrefSrc is not null)
            {
                text.Append(" src ").Append(PrefSrc);
            }

            if (Metric is { } metric)
            {
                text.Append(" metric ").Append(metric);
            }

            foreach (var flag in Flags)
            {
                text.Append(' ').Append(flag);
            }

            return text.ToString();
        }
    }

    public static string NormaliseTable(string? table) => table switch
    {
        null or "" or "254" => "main",
        "255" => "local",
        "253" => "default",
        _ => table,
    };

    public override string ToString() => Text;
}
