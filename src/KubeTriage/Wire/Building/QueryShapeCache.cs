namespace KubeTriage.Wire.Building;

/// <summary>
/// <see cref="QueryShape.Of"/> for every MySQL command of a capture without a string per command: the shape
/// is written into a scratch buffer and looked up by span among the shapes already seen, so only a new shape
/// becomes a string. Statements repeat with other values, so after the first few commands none allocates.
/// </summary>
internal sealed class QueryShapeCache(int maxShapes)
{
    private readonly char[] _scratch = new char[QueryShape.BufferLength];
    private readonly HashSet<string> _shapes = new(StringComparer.Ordinal);

    public string Of(string? query, string commandName)
    {
        if (string.IsNullOrWhiteSpace(query))
        {
            return commandName;
        }

        var shape = _scratch.AsSpan(0, QueryShape.Write(query, _scratch));
        var lookup = _shapes.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(shape, out var known))
        {
            return known;
        }

        var text = new string(shape);
        if (_shapes.Count < maxShapes)
        {
            _shapes.Add(text);
        }

        return text;
    }
}
