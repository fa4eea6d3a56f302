namespace KubeTriage.Cluster.Corefiles;

/// <summary>
/// Builds server blocks from words. A directive is the words of one line; a <c>{</c> ending that line opens
/// its block, which runs to the matching <c>}</c>. A file with a single block may omit the braces.
/// Snippets (<c>(name) { … }</c>) are skipped.
/// </summary>
internal sealed class CorefileParser(List<CorefileToken> tokens, List<string> problems)
{
    private const int MaxDepth = 32;
    private int _pos;

    public List<CorefileServerBlock> ParseServerBlocks()
    {
        var blocks = new List<CorefileServerBlock>();
        while (_pos < tokens.Count)
        {
            var first = tokens[_pos];
            if (first.IsClose || first.IsOpen)
            {
                problems.Add($"line {first.Line}: unexpected '{first.Text}'");
                _pos++;
                continue;
            }

            var keys = new List<string>();
            while (_pos < tokens.Count && tokens[_pos].Line == first.Line && !tokens[_pos].IsOpen && !tokens[_pos].IsClose)
            {
                keys.AddRange(tokens[_pos].Text.Split(',', StringSplitOptions.RemoveEmptyEntries));
                _pos++;
            }

            if (_pos < tokens.Count && tokens[_pos].IsOpen)
            {
                _pos++;
                var body = ParseBody(first.Line, 1);
                if (keys.Count > 0 && keys[0].StartsWith('('))
                {
                    continue;
                }

                blocks.Add(new CorefileServerBlock(keys, body, first.Line));
            }
            else if (blocks.Count == 0)
            {
                // One server block without braces: the rest of the file is its body.
                blocks.Add(new CorefileServerBlock(keys, ParseBody(first.Line, 1, toEnd: true), first.Line));
            }
            else
            {
                problems.Add($"line {first.Line}: '{string.Join(' ', keys)}' is outside any server block");
            }
        }

        return blocks;
    }

    private List<CorefileDirective> ParseBody(int openedAt, int depth, bool toEnd = false)
    {
        var directives = new List<CorefileDirective>();
        while (_pos < tokens.Count)
        {
            var name = tokens[_pos];
            if (name.IsClose)
            {
                _pos++;
                if (toEnd)
                {
                    problems.Add($"line {name.Line}: unexpected '}}'");
                    continue;
                }

                return directives;
            }

            if (name.IsOpen)
            {
                problems.Add($"line {name.Line}: '{{' without a directive");
                _pos++;
                continue;
            }

            _pos++;
            var args = new List<string>();
            while (_pos < tokens.Count && tokens[_pos].Line == name.Line && !tokens[_pos].IsOpen && !tokens[_pos].IsClose)
            {
                args.Add(tokens[_pos].Text);
                _pos++;
            }

            IReadOnlyList<CorefileDirective> block = [];
            if (_pos < tokens.Count && tokens[_pos].IsOpen && tokens[_pos].Line == name.Line)
            {
                _pos++;
                if (depth >= MaxDepth)
                {
                    problems.Add($"line {name.Line}: blocks nested deeper than {MaxDepth}");
                    SkipBlock();
                }
                else
                {
                    block = ParseBody(name.Line, depth + 1);
                }
            }

            directives.Add(new CorefileDirective(name.Text, args, block, name.Line));
        }

        if (!toEnd)
        {
            problems.Add($"line {openedAt}: block opened here is not closed");
        }

        return directives;
    }

    private void SkipBlock()
    {
        var level = 1;
        while (_pos < tokens.Count && level > 0)
        {
            if (tokens[_pos].IsOpen)
            {
                level++;
            }
            else if (tokens[_pos].IsClose)
            {
                level--;
            }

            _pos++;
        }
    }
}
