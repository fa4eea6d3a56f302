namespace KubeTriage.Cluster;

/// <summary>One container log as read (<c>kubectl logs [--previous] --tail N</c>): the text, bounded by the collector.</summary>
public sealed record PodLog(string Namespace, string Pod, string Container, bool Previous, string Text)
{
    public string Label => $"{Namespace}/{Pod}/{Container}{(Previous ? " (previous)" : string.Empty)}";
}
