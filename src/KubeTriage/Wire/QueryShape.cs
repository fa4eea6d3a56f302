using System.Buffers;

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

    /// <summary>
    /// Room a shape needs while it is written: the scan stops at <see cref="MaxLength"/> + 8 characters, and
    /// a cut shape is <see cref="MaxLength"/> characters and an ellipsis.
    /// </summary>
    public const int BufferLength = MaxLength + 8;

    private const char Ellipsis = '…';

    /// <summary>
    /// Printable ASCII that is copied as it is: everything but quotes, comment starts, digits and white
    /// space. Runs of it are copied at once; anything else (non-ASCII included) goes through the checks.
    /// </summary>
    private static readonly SearchValues<char> Plain =
        SearchValues.Create("!$%&()*+,.:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~");

    public static string Of(string? query, string commandName)
    {
        if (string.IsNullOrWhiteSpace(query))
        {
            return commandName;
        }

        var shape = new char[BufferLength];
        return new string(shape, 0, Write(query, shape));
    }

    /// <summary>
    /// Writes the shape of a statement that is not blank into <paramref name="shape"/> (at least
    /// <see cref="BufferLength"/> long) and returns its length: the allocation-free core of <see cref="Of"/>,
    /// for callers that look shapes up by span.
    /// </summary>
    public static int Write(ReadOnlySpan<char> query, Span<char> shape)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(shape.Length, BufferLength);
        var length = 0;
        var i = 0;
        var lastWasSpace = true;
        while (i < query.Length && length < MaxLength + 8)
        {
            var run = query[i..].IndexOfAnyExcept(Plain);
            if (run != 0)
            {
                run = Math.Min(run < 0 ? query.Length - i : run, MaxLength + 8 - length);
                query.Slice(i, run).CopyTo(shape[length..]);
                length += run;
                i += run;
                lastWasSpace = false;
                continue;
            }

            var c = query[i];
            if (c is '\'' or '"')
            {
                i = SkipQuoted(query, i, c);
                shape[length++] = '?';
                lastWasSpace = false;
                continue;
            }

            if (c == '-' && Peek(query, i + 1) == '-' || c == '#')
            {
                i = SkipToLineEnd(query, i);
                continue;
            }

            if (c == '/' && Peek(query, i + 1) == '*')
            {
                var end = query[(i + 2)..].IndexOf("*/", StringComparison.Ordinal);
                i = end < 0 ? query.Length : i + 2 + end + 2;
                continue;
            }

            if (char.IsDigit(c) && !IsWordChar(length > 0 ? shape[length - 1] : '\0'))
            {
                while (i < query.Length && (char.IsAsciiHexDigit(query[i]) || query[i] is '.' or 'x' or 'X' or 'e' or 'E'))
                {
                    i++;
                }

                shape[length++] = '?';
                lastWasSpace = false;
                continue;
            }

            if (char.IsWhiteSpace(c))
            {
                if (!lastWasSpace)
                {
                    shape[length++] = ' ';
                    lastWasSpace = true;
                }

                i++;
                continue;
            }

            shape[length++] = c;
            lastWasSpace = false;
            i++;
        }

        length = CollapseLists(shape[..length].Trim(), shape);
        if (length > MaxLength)
        {
            shape[MaxLength] = Ellipsis;
            length = MaxLength + 1;
        }

        return length;
    }

    private static int SkipQuoted(ReadOnlySpan<char> text, int i, char quote)
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

    private static int SkipToLineEnd(ReadOnlySpan<char> text, int i)
    {
        var end = text[i..].IndexOf('\n');
        return end < 0 ? text.Length : i + end + 1;
    }

    private static char Peek(ReadOnlySpan<char> text, int i) => i < text.Length ? text[i] : '\0';

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c is '_' or '$' or '`' or '.';

    /// <summary>
    /// "(?, ?, ?)" and "(?,?)" become "(?+)"; "VALUES (?+), (?+)" becomes "VALUES (?+)". The result is never
    /// longer than what has been read so far, so <paramref name="collapsed"/> may be the very buffer
    /// <paramref name="text"/> lies in: each character is written at or before the place it was read from.
    /// </summary>
    private static int CollapseLists(ReadOnlySpan<char> text, Span<char> collapsed)
    {
        var length = 0;
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == '(' && TryReadList(text, i, out var end))
            {
                i = end;
                while (TryReadRepeat(text, i, out var next))
                {
                    i = next;
                }

                "(?+)".CopyTo(collapsed[length..]);
                length += 4;
                continue;
            }

            collapsed[length++] = text[i];
            i++;
        }

        return length;
    }

    private static bool TryReadList(ReadOnlySpan<char> text, int open, out int end)
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

    private static bool TryReadRepeat(ReadOnlySpan<char> text, int i, out int next)
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

    private static bool TryReadSingle(ReadOnlySpan<char> text, int open, out int end)
    {
        end = open;
        if (text[open..].StartsWith("(?)", StringComparison.Ordinal))
        {
            end = open + 3;
            return true;
        }

        return false;
    }
}
