using System.Net;
using System.Text;
using System.Text.Json.Serialization;

namespace KubeTriage.Node;

/// <summary>
/// Where the node sends a packet from a pod: the kernel's own answer (<c>ip -j route get DST from POD iif VETH</c>,
/// <see cref="Origin"/> "kernel") or the policy-routing simulator's over the collected rules and routes
/// ("simulated"). <see cref="Error"/> holds ip's complaint (e.g. "Network is unreachable") when there is no route.
/// <see cref="Via"/> names the rule and route the simulator took; <see cref="CrossCheck"/> says whether the
/// simulator agreed with the kernel.
/// </summary>
public sealed record RouteLookup(
    [property: JsonConverter(typeof(IPAddressJsonConverter))] IPAddress Destination,
    [property: JsonConverter(typeof(IPAddressJsonConverter))] IPAddress Source,
    string? Iif,
    string Origin,
    string Type,
    string? Dev,
    [property: JsonConverter(typeof(IPAddressJsonConverter))] IPAddress? Gateway,
    string? Table,
    string? Error)
{
    public const string Kernel = "kernel";
    public const string Simulated = "simulated";

    public string? Via { get; init; }

    public string? CrossCheck { get; init; }

    public string Command => Iif is null
        ? $"ip route get {Destination} from {Source}"
        : $"ip route get {Destination} from {Source} iif {Iif}";

    public bool Leaves => Error is null && Type == Route.Unicast && Dev is not null;

    /// <summary>The answer as one line: "dev eth0 via 198.18.0.1 table main" or "error: Network is unreachable".</summary>
    public string ResultText
    {
        get
        {
            if (Error is not null)
            {
                return $"error: {Error}";
            }

            var text = new StringBuilder();
            if (Type != Route.Unicast)
            {
                text.Append(Type).Append(' ');
            }

            if (Dev is not null)
            {
                text.Append("dev ").Append(Dev);
            }

            if (Gateway is not null)
            {
                text.Append(" via ").Append(Gateway);
            }

            text.Append(" table ").Append(Table ?? "main");
            return text.ToString().Trim();
        }
    }
}
