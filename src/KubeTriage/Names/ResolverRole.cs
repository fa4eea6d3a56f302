using System.Text.Json.Serialization;

namespace KubeTriage.Names;

/// <summary>
/// Why a resolver is asked: the pod's cluster DNS (the kube-dns Service, first line of a ClusterFirst
/// pod's resolv.conf), an upstream that cluster DNS forwards to, a node's own resolver, or one named on
/// the command line whose role no evidence tells.
/// </summary>
public enum ResolverRole
{
    [JsonStringEnumMemberName("cluster-dns")]
    ClusterDns,

    [JsonStringEnumMemberName("upstream")]
    Upstream,

    [JsonStringEnumMemberName("node")]
    Node,

    [JsonStringEnumMemberName("given")]
    Given,
}

/// <summary>Names and path facts of <see cref="ResolverRole"/>.</summary>
public static class ResolverRoles
{
    public static string Name(ResolverRole role) => role switch
    {
        ResolverRole.ClusterDns => "cluster-dns",
        ResolverRole.Upstream => "upstream",
        ResolverRole.Node => "node",
        _ => "given",
    };

    public static bool TryParse(string text, out ResolverRole role)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "cluster-dns" or "cluster":
                role = ResolverRole.ClusterDns;
                return true;
            case "upstream":
                role = ResolverRole.Upstream;
                return true;
            case "node":
                role = ResolverRole.Node;
                return true;
            case "given":
                role = ResolverRole.Given;
                return true;
            default:
                role = ResolverRole.Given;
                return false;
        }
    }

    /// <summary>
    /// True for the resolvers a ClusterFirst pod's queries pass through: cluster DNS and the upstreams
    /// it forwards to. A wrong answer there reaches the app.
    /// </summary>
    public static bool IsPodPath(ResolverRole role) => role is ResolverRole.ClusterDns or ResolverRole.Upstream;
}
