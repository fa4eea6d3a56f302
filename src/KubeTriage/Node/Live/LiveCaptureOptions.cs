namespace KubeTriage.Node.Live;

/// <summary>What to capture: interface names ("any" allowed), a BPF filter, the snap length and the queue size.</summary>
public sealed record LiveCaptureOptions
{
    public required IReadOnlyList<string> Interfaces { get; init; }

    /// <summary>A BPF expression, e.g. "host 198.18.1.20"; null captures everything.</summary>
    public string? Filter { get; init; }

    public int SnapLength { get; init; } = 262_144;

    /// <summary>Packets waiting for the analysing thread; beyond this they are counted as dropped.</summary>
    public int QueueCapacity { get; init; } = 65_536;

    /// <summary>A pcapng file to write every captured packet to.</summary>
    public string? WritePath { get; init; }
}
