namespace KubeTriage.Node;

/// <summary>The namespace verdict and the sentence that explains it to a person.</summary>
public sealed record NetnsStatus(NetnsState State, string Detail)
{
    /// <summary>Whether sysfs PCI checks mean anything here (only in the host's namespace or on collected data).</summary>
    public bool PciChecksApply => State is NetnsState.Host or NetnsState.Unknown or NetnsState.Offline;
}
