namespace KubeTriage.Cluster.Collectors;

/// <summary>
/// One kind of request the live collector makes, in RBAC terms: verb, API group ("" = core), resource
/// (with subresource, e.g. <c>pods/log</c>) and namespace (<see cref="AnyNamespace"/> for the target pod's
/// namespace, null for cluster-scoped). <c>deploy/rbac.yaml</c> must allow every one of them.
/// </summary>
public sealed record ApiCall(string Verb, string Group, string Resource, string? Namespace)
{
    public const string AnyNamespace = "*";

    /// <summary><c>list deployments.apps in kube-system</c>, as used in problem lines.</summary>
    public string Describe(string? ns = null)
    {
        var resource = Group.Length == 0 ? Resource : $"{Resource}.{Group}";
        var where = (ns ?? Namespace) switch
        {
            null => "(cluster scope)",
            AnyNamespace => "in the target namespace",
            var n => $"in {n}",
        };
        return $"{Verb} {resource} {where}";
    }
}
