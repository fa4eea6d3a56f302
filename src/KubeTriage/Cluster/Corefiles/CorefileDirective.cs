namespace KubeTriage.Cluster.Corefiles;

/// <summary>
/// One line of a server block: a plugin name (<c>forward</c>, <c>cache</c>, <c>kubernetes</c>…), its arguments,
/// and the lines of its <c>{ … }</c> block when it has one (options such as <c>policy random</c>).
/// </summary>
public sealed record CorefileDirective(string Name, IReadOnlyList<string> Args, IReadOnlyList<CorefileDirective> Block, int Line)
{
    public override string ToString() => Args.Count == 0 ? Name : $"{Name} {string.Join(' ', Args)}";
}
