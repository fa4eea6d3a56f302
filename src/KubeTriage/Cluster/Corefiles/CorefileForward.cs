namespace KubeTriage.Cluster.Corefiles;

/// <summary>
/// A <c>forward</c> (or legacy <c>proxy</c>) line of one server block: queries for <see cref="From"/> go to
/// <see cref="Targets"/>. <see cref="Options"/> are the lines of its block (<c>policy random</c>, <c>max_concurrent 1000</c>).
/// </summary>
public sealed record CorefileForward(
    string ServerBlock,
    IReadOnlyList<string> Zones,
    string Plugin,
    string From,
    IReadOnlyList<CorefileForwardTarget> Targets,
    IReadOnlyList<string> Options,
    int Line)
{
    /// <summary>True when a target is a file (usually <c>/etc/resolv.conf</c>): the upstreams are that file's nameservers.</summary>
    public bool UsesResolvConf => Targets.Any(t => t.IsFile);
}
