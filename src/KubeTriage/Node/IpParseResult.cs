namespace KubeTriage.Node;

/// <summary>
/// What a parser of <c>ip -j</c> output got: the entries it could read and, for what it could not, one line each
/// ("entry 3: dst 'x' is not an address", or "not ip -j JSON: …" when nothing could be read).
/// <see cref="Readable"/> is false when the text as a whole was not ip JSON.
/// </summary>
public sealed record IpParseResult<T>(IReadOnlyList<T> Items, IReadOnlyList<string> Problems, bool Readable)
{
    public static IpParseResult<T> Unreadable(string problem) => new([], [problem], false);
}
