using k8s;
using k8s.Models;
using KubeTriage.Cluster.Collectors;

namespace KubeTriage.Tests.Cluster.Collectors;

/// <summary>deploy/rbac.yaml must allow every request of the live collector, and nothing more.</summary>
public sealed class RbacManifestTests
{
    private const string Account = "kubetriage";
    private const string AccountNamespace = "kubetriage";

    private static readonly IReadOnlyList<object> Manifest = KubernetesYaml.LoadAllFromString(
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "deploy", "rbac.yaml")));

    [Fact]
    public void AllowsEveryCallTheCollectorMakes()
    {
        // Given
        var grants = Grants();

        // When
        var missing = ClusterApiCalls.All.Where(call => !grants.Any(g => Allows(g, call))).Select(c => c.Describe()).ToList();

        // Then
        Assert.Empty(missing);
    }

    [Fact]
    public void GrantsNothingTheCollectorDoesNotUse()
    {
        // Given
        var grants = Grants();

        // When: every (namespace, group, resource, verb) a rule grants must be needed by some call
        var unused = grants
            .SelectMany(g => g.Rule.ApiGroups.SelectMany(group => g.Rule.Resources.SelectMany(resource => g.Rule.Verbs.Select(verb => (g.Namespace, group, resource, verb)))))
            .Where(x => !ClusterApiCalls.All.Any(call => call.Group == x.group && call.Resource == x.resource && call.Verb == x.verb
                && (x.Namespace is null ? call.Namespace is null or ApiCall.AnyNamespace : call.Namespace == x.Namespace)))
            .ToList();

        // Then
        Assert.Empty(unused);
    }

    [Fact]
    public void IsReadOnlyAndNeverTouchesSecrets()
    {
        // Given
        var rules = Grants().Select(g => g.Rule).ToList();

        // When
        var verbs = rules.SelectMany(r => r.Verbs).Distinct().ToList();
        var resources = rules.SelectMany(r => r.Resources).ToList();

        // Then
        Assert.All(verbs, v => Assert.Contains(v, new[] { "get", "list", "watch" }));
        Assert.DoesNotContain("secrets", resources);
        Assert.DoesNotContain("*", resources);
        Assert.DoesNotContain("*", rules.SelectMany(r => r.ApiGroups));
    }

    [Fact]
    public void ReadsConfigMapsOnlyInKubeSystem()
    {
        // Given
        var grants = Grants();

        // When
        var configMapGrants = grants.Where(g => g.Rule.Resources.Contains("configmaps")).Select(g => g.Namespace).ToList();

        // Then
        Assert.Equal(["kube-system"], configMapGrants);
    }

    /// <summary>The rules that reach the ServiceAccount: ClusterRoles through ClusterRoleBindings (namespace null = everywhere), Roles through RoleBindings.</summary>
    private static List<(string? Namespace, V1PolicyRule Rule)> Grants()
    {
        var clusterRoles = Manifest.OfType<V1ClusterRole>().ToDictionary(r => r.Metadata.Name);
        var roles = Manifest.OfType<V1Role>().ToDictionary(r => (r.Metadata.NamespaceProperty, r.Metadata.Name));
        var grants = new List<(string?, V1PolicyRule)>();
        foreach (var binding in Manifest.OfType<V1ClusterRoleBinding>().Where(b => BindsAccount(b.Subjects)))
        {
            grants.AddRange(clusterRoles[binding.RoleRef.Name].Rules.Select(r => ((string?)null, r)));
        }

        foreach (var binding in Manifest.OfType<V1RoleBinding>().Where(b => BindsAccount(b.Subjects)))
        {
            var ns = binding.Metadata.NamespaceProperty;
            var rules = binding.RoleRef.Kind == "ClusterRole" ? clusterRoles[binding.RoleRef.Name].Rules : roles[(ns, binding.RoleRef.Name)].Rules;
            grants.AddRange(rules.Select(r => ((string?)ns, r)));
        }

        Assert.Contains(Manifest.OfType<V1ServiceAccount>(), a => a.Metadata.Name == Account && a.Metadata.NamespaceProperty == AccountNamespace);
        return grants;
    }

    private static bool BindsAccount(IList<Rbacv1Subject>? subjects) =>
        subjects?.Any(s => s.Kind == "ServiceAccount" && s.Name == Account && s.NamespaceProperty == AccountNamespace) == true;

    private static bool Allows((string? Namespace, V1PolicyRule Rule) grant, ApiCall call) =>
        grant.Rule.ApiGroups.Contains(call.Group) && grant.Rule.Resources.Contains(call.Resource) && grant.Rule.Verbs.Contains(call.Verb)
        && (grant.Namespace is null || grant.Namespace == call.Namespace);
}
