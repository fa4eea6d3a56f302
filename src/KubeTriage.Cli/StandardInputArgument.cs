namespace KubeTriage.Cli;

/// <summary>
/// <c>-</c> in the place of a capture file means standard input, as for <c>tcpdump -r -</c> and
/// <c>tshark -r -</c>: <c>tcpdump -i any -w - | kubetriage capture -</c>. The command-line parser reads a lone
/// <c>-</c> as an option without a name, so before parsing it becomes <see cref="Device"/>, which the
/// capture engine reads like any pipe.
/// </summary>
internal static class StandardInputArgument
{
    public const string Device = "/dev/stdin";

    /// <summary>Flags of <c>capture</c> that take no value, so a <c>-</c> after them is still a file.</summary>
    private static readonly HashSet<string> Flags = new(StringComparer.Ordinal) { "--live", "-h", "--help" };

    public static string[] Rewrite(string[] args)
    {
        if (args.Length < 2 || args[0] != "capture" || !args.Contains("-"))
        {
            return args;
        }

        var rewritten = (string[])args.Clone();
        for (int i = 1; i < rewritten.Length; i++)
        {
            var previous = rewritten[i - 1];
            if (rewritten[i] == "-" && (i == 1 || !previous.StartsWith('-') || Flags.Contains(previous)))
            {
                rewritten[i] = Device;
            }
        }

        return rewritten;
    }

    /// <summary>True for the paths that read standard input.</summary>
    public static bool IsStandardInput(string path) => path is Device or "-";
}
