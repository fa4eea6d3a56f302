using System.Text;

namespace KubeTriage.Wire;

/// <summary>
/// The shape of a SQL statement, so that "the same query with other values" groups together:
/// string and number literals become <c>?</c>, lists of them <c>(?+)</c>, runs of white space one space,
/// comments are dropped, and the result is capped at <see cref="MaxLength"/> characters.
/// The same idea as pt-query-digest's fingerprints and MySQL's statement digests.
/// </summary>
public static class QueryShape
{
    public const int MaxLength = 160;

    public static string Of(string? query, string commandName)
    {
        if (string.IsNullOrWhiteSpace(query))
        {
            return commandName;
        }

        var shape = new StringBuilder(Math.Min(query.Length, MaxLength + 16));
        var i = 0;
        var lastWasSpace = true;
        while (i < query.Length && shape.Length < MaxLength + 8)
        {
            var c = query[i];
            if (c is '\'' or '"')
            {
                i = SkipQuoted(query, i, c);
                Append(shape, '?', ref lastWasSpace);
                continue;
            }

            if (c == '-' && Peek(query, i + 1) == '-' || c == '#')
            {
                i = SkipToLineEnd(query, i);
                continue;
            }

            if (c == '/' && Peek(query, i + 1) == '*')
            {
                var end = query.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = end < 0 ? query.Length : end + 2;
                continue;
            }

            if (char.IsDigit(c) && !IsWordChar(Peek(shape)))
            {
                while (i < query.Length && (char.IsAsciiHexDigit(query[i]) || query[i] is '.' or 'x' or 'X' or 'e' or 'E'))
                {
                    i++;
                }

                Append(shape, '?', ref lastWasSpace);
                continue;
            }

            if (char.IsWhiteSpace(c))
            {
                if (!lastWasSpace)
                {
                    shape.Append(' ');
                    lastWasSpace = true;
                }

                i++;
                continue;
            }

            Append(shape, c, ref lastWasSpace);
            i++;
        }

        var text = CollapseLists(shape.ToString().Trim());
        return text.Length > MaxLength ? text[..MaxLength] + "…" : text;
    }

    private static void Append(StringBuilder shape, char c, ref bool lastWasSpace)
    {
        shape.Append(c);
        lastWasSpace = false;
    }

    private static int SkipQuoted(string text, int i, char quote)
    {
        i++;
        while (i < text.Length)
        {
            if (text[i] == '\\')
            {
                i += 2;
                continue;
            }

            if (text[i] == quote)
            {
                if (Peek(text, i + 1) == quote)
                {
                    i += 2;
                    continue;
                }

                return i + 1;
            }

            i++;
        }

        return text.Length;
    }

    private static int SkipToLineEnd(string text, int i)
    {
        var end = text.IndexOf('\n', i);
        return end < 0 ? text.Length : end + 1;
    }

    private static char Peek(string text, int i) => i < text.Length ? text[i] : '\0';

    private static char Peek(StringBuilder text) => text.Length > 0 ? text[^1] : '\0';

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c is '_' or '$' or '`' or '.';

    private static string CollapseLists(string text)
    {
        // "(?, ?, ?)" and "(?,?)" become "(?+)"; "VALUES (?+), (?+)" becomes "VALUES (?+)".
        var collapsed = new StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == '(' && TryReadList(text, i, out var end))
            {
                collapsed.Append("(?+)");
                i = end;
                while (TryReadRepeat(text, i, out var next))
                {
                    i = next;
                }

                continue;
            }

            collapsed.Append(text[i]);
            i++;
        }

        return collapsed.ToString();
    }

    private static bool TryReadList(string text, int open, out int end)
    {
        end = open;
        var i = open + 1;
        var items = 0;
        while (i < text.Length)
        {
            while (i < text.Length && text[i] == ' ')
            {
                i++;
            }

            if (Peek(text, i) != '?')
            {
                return false;
            }

            items++;
            i++;
            while (i < text.Length && text[i] == ' ')
            {
                i++;
            }

            if (Peek(text, i) == ')')
            {
                end = i + 1;
                return items > 1;
            }

            if (Peek(text, i) != ',')
            {
                return false;
            }

            i++;
        }

        return false;
    }

    private static bool TryReadRepeat(string text, int i, out int next)
    {
        next = i;
        var j = i;
        while (j < text.Length && text[j] == ' ')
        {
            j++;
        }

        if (Peek(text, j) != ',')
        {
            return false;
        }

        j++;
        while (j < text.Length && text[j] == ' ')
        {
            j++;
        }

        if (Peek(text, j) == '(' && (TryReadList(text, j, out var end) || TryReadSingle(text, j, out end)))
        {
            next = end;
            return true;
        }

        return false;
    }

    private static bool TryReadSingle(string text, int open, out int end)
    {
        end = open;
        if (text.AsSpan(open).StartsWith("(?)", StringComparison.Ordinal))
        {
            end = open + 3;
            return true;
        }

        return false;
    }
}
