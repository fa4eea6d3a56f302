namespace KubeTriage.Cluster.Corefiles;

/// <summary>One word of a Corefile with its line; <see cref="Quoted"/> words are never braces.</summary>
internal readonly record struct CorefileToken(string Text, int Line, bool Quoted)
{
    public bool IsOpen => !Quoted && Text == "{";

    public bool IsClose => !Quoted && Text == "}";
}
