using System.Text.RegularExpressions;
using KubeTriage.Cluster.Collectors;

namespace KubeTriage.Tests.Cluster.Collectors;

/// <summary>Turns a request path seen by the fake API server into its RBAC terms (verb, group, resource, namespace).</summary>
internal static partial class ApiRequestMapper
{
    public static ApiCall Map(string method, string path)
    {
        var m = ApiPath().Match(path);
        if (!m.Success || method != "GET")
        {
            throw new InvalidOperationException($"unexpected request {method} {path}");
        }

        var group = m.Groups["group"].Success ? m.Groups["group"].Value : string.Empty;
        var ns = m.Groups["ns"].Success ? m.Groups["ns"].Value : null;
        var resource = m.Groups["res"].Value + (m.Groups["sub"].Success ? "/" + m.Groups["sub"].Value : string.Empty);
        var verb = m.Groups["name"].Success ? "get" : "list";
        return new ApiCall(verb, group, resource, ns);
    }

    /// <summary>True when <paramref name="allowed"/> covers the concrete <paramref name="request"/>.</summary>
    public static bool Covers(ApiCall allowed, ApiCall request) =>
        allowed.Verb == request.Verb && allowed.Group == request.Group && allowed.Resource == request.Resource
        && (allowed.Namespace == request.Namespace || (allowed.Namespace == ApiCall.AnyNamespace && request.Namespace is not null));

    [GeneratedRegex(@"^/(?:api/v1|apis/(?<group>[a-z0-9.]+)/v1)(?:/namespaces/(?<ns>[^/]+))?/(?<res>[a-z]+)(?:/(?<name>[^/]+)(?:/(?<sub>[a-z]+))?)?$")]
    private static partial Regex ApiPath();
}
