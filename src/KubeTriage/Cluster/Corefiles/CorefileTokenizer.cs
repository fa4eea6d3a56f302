using System.Text;

namespace KubeTriage.Cluster.Corefiles;

/// <summary>
/// Splits a Corefile into words: runs of whitespace separate, <c>#</c> starts a comment, <c>"…"</c> quotes
/// (with <c>\"</c>), and <c>{</c>/<c>}</c> are words of their own (also when glued to a word, except in
/// <c>{$ENV}</c> placeholders).
/// </summary>
internal static class CorefileTokenizer
{
    public static List<CorefileToken> Tokenize(string text, List<string> problems)
    {
        var tokens = new List<CorefileToken>();
        var line = 1;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\n')
            {
                line++;
                i++;
                continue;
            }

            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            if (c == '#')
            {
                while (i < text.Length && text[i] != '\n')
                {
                    i++;
                }

                continue;
            }

            if (c == '"')
            {
                var start = line;
                var word = new StringBuilder();
                i++;
                var closed = false;
                while (i < text.Length)
                {
                    if (text[i] == '\\' && i + 1 < text.Length && text[i + 1] == '"')
                    {
                        word.Append('"');
                        i += 2;
                        continue;
                    }

                    if (text[i] == '"')
                    {
                        closed = true;
                        i++;
                        break;
                    }

                    if (text[i] == '\n')
                    {
                        line++;
                    }

                    word.Append(text[i]);
                    i++;
                }

                if (!closed)
                {
                    problems.Add($"line {start}: quote is not closed");
                }

                tokens.Add(new CorefileToken(word.ToString(), start, Quoted: true));
                continue;
            }

            if (c is '{' or '}' && !IsPlaceholder(text, i))
            {
                tokens.Add(new CorefileToken(c.ToString(), line, Quoted: false));
                i++;
                continue;
            }

            var from = i;
            while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] != '"')
            {
                if (text[i] is '{' or '}' && !IsPlaceholder(text, i) && !InsidePlaceholder(text, from, i))
                {
                    break;
                }

                i++;
            }

            tokens.Add(new CorefileToken(text[from..i], line, Quoted: false));
        }

        return tokens;
    }

    /// <summary><c>{$NAME}</c> is an environment placeholder, not a block.</summary>
    private static bool IsPlaceholder(string text, int i) =>
        text[i] == '{' && i + 1 < text.Length && text[i + 1] == '$' && text.IndexOf('}', i) is var close && close > i
        && !text.AsSpan(i, close - i).ContainsAny(" \t\n");

    private static bool InsidePlaceholder(string text, int from, int i)
    {
        if (text[i] != '}')
        {
            return false;
        }

        var open = text.LastIndexOf("{$", i, i - from + 1, StringComparison.Ordinal);
        return open >= from;
    }
}
