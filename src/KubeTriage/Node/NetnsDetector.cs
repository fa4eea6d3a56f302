namespace KubeTriage.Node;

/// <summary>
/// Tells whether this process sees the host's network namespace, by comparing the <c>/proc/self/ns/net</c> link
/// ("net:[4026531833]") with PID 1's. Where PID 1's link cannot be read (no CAP_SYS_PTRACE), a namespace named
/// under /run/netns that holds this process (what <c>ip netns exec</c> sets up) still proves "outside"; otherwise
/// the verdict is unknown and the checks proceed as on the host, saying so.
/// </summary>
public static class NetnsDetector
{
    public const string OutsideSentence =
        "running outside the host network namespace: host NICs are hidden from sysfs, PCI checks skipped";

    /// <param name="procRoot">/proc, or a test tree with self/ns/net and 1/ns/net links.</param>
    /// <param name="namedNamespace">Names the /run/netns namespace this process is in (ip netns identify), or null.</param>
    public static NetnsStatus Detect(string procRoot, Func<string?>? namedNamespace = null)
    {
        var self = NamespaceId(Path.Combine(procRoot, "self", "ns", "net"));
        if (self is null)
        {
            return new NetnsStatus(NetnsState.Unknown,
                $"cannot read {Path.Combine(procRoot, "self", "ns", "net")}: assuming the host network namespace");
        }

        var init = NamespaceId(Path.Combine(procRoot, "1", "ns", "net"));
        if (init is not null)
        {
            if (init == self)
            {
                return new NetnsStatus(NetnsState.Host, $"host network namespace ({self}, as PID 1)");
            }

            var named = SafeName(namedNamespace);
            return new NetnsStatus(NetnsState.Outside,
                $"{OutsideSentence} (this process: {self}, PID 1: {init}{(named is null ? string.Empty : $", namespace {named}")})")
            {
                Name = named,
            };
        }

        var name = SafeName(namedNamespace);
        return name is not null
            ? new NetnsStatus(NetnsState.Outside, $"{OutsideSentence} (inside network namespace {name}, {self})") { Name = name }
            : new NetnsStatus(NetnsState.Unknown,
                $"cannot read {Path.Combine(procRoot, "1", "ns", "net")} to compare with {self}: assuming the host network namespace");
    }

    /// <summary>The status when a named namespace is inspected from outside with <c>ip -n NAME</c>.</summary>
    public static NetnsStatus Named(string name) =>
        new(NetnsState.Named,
            $"network namespace {name} inspected with ip -n {name}: sysfs shows this host's devices, not {name}'s, so PCI checks are skipped")
        {
            Name = name,
        };

    private static string? NamespaceId(string path)
    {
        try
        {
            // A namespace link reads "net:[inode]"; the same text means the same namespace.
            return new FileInfo(path).LinkTarget;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string? SafeName(Func<string?>? namedNamespace)
    {
        var name = namedNamespace?.Invoke()?.Trim();
        return string.IsNullOrEmpty(name) ? null : name.Split('\n')[0];
    }
}
