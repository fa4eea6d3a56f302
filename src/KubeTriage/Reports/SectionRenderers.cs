namespace KubeTriage.Reports;

/// <summary>The explicit list of section renderers; each room adds its own.</summary>
public static class SectionRenderers
{
    public static IReadOnlyList<ISectionRenderer> All { get; } =
    [
        new CaptureSectionRenderer(),
        new NodeSectionRenderer(),
        new ClusterSectionRenderer(),
        new DnsProbesSectionRenderer(),
    ];

    public static ISectionRenderer? For(object section) => All.FirstOrDefault(r => r.CanRender(section));
}
