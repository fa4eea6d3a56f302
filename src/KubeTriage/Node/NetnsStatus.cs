namespace KubeTriage.Node;

/// <summary>The namespace verdict and the sentence that explains it to a person.</summary>
public sealed record NetnsStatus(NetnsState State, string Detail)
{
    /// <summary>The /run/netns name of the namespace looked at, when it has one.</summary>
    public string? Name { get; init; }

    /// <summary>A few words for a heading: "host network namespace", "network namespace NAME (ip -n)", ….</summary>
    public string Summary => State switch
    {
        NetnsState.Host => "host network namespace",
        NetnsState.Named => $"network namespace {Name} (ip -n), PCI checks skipped",
        NetnsState.Outside => Name is null
            ? "outside the host network namespace, PCI checks skipped"
            : $"inside network namespace {Name}, PCI checks skipped",
        NetnsState.Offline => "collected files",
        _ => "network namespace not verified",
    };

    /// <summary>Whether sysfs PCI checks mean anything here (only in the host's namespace or on collected data).</summary>
    public bool PciChecksApply => State is NetnsState.Host or NetnsState.Unknown or NetnsState.Offline;
}
