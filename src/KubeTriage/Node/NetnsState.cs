namespace KubeTriage.Node;

/// <summary>Which network namespace the node checks looked at.</summary>
public enum NetnsState
{
    /// <summary>The host's (PID 1's) namespace: sysfs shows the host's NICs.</summary>
    Host,

    /// <summary>Another namespace (ip netns exec, a pod without hostNetwork): host NICs are hidden from sysfs.</summary>
    Outside,

    /// <summary>A named namespace inspected from outside with <c>ip -n NAME</c>.</summary>
    Named,

    /// <summary>Could not tell (PID 1's namespace unreadable); treated as the host's.</summary>
    Unknown,

    /// <summary>Read from a collected directory.</summary>
    Offline,
}
