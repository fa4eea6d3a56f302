namespace KubeTriage.Node;

/// <summary>
/// One source's raw text as read (a file or an ip command's stdout) with the label problems name it by
/// ("nodes/a/ip-rule.json", "ip -j rule show"), or why it could not be read.
/// </summary>
public sealed record NodeSourceText(string Label, string? Text, string? Error = null)
{
    public static NodeSourceText Missing(string label, string why) => new(label, null, why);
}
