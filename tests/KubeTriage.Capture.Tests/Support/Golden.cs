using System.Runtime.CompilerServices;
using System.Text;

namespace KubeTriage.Capture.Tests.Support;

/// <summary>
/// Golden-file comparison: the expected text lives in <c>Expectations/&lt;Area&gt;/&lt;Case&gt;.Output.verified.txt</c>
/// next to the test project's sources. On a mismatch (or a missing file) the actual text is written to
/// <c>&lt;Case&gt;.Output.received.txt</c> beside it and the assertion fails with the first differing line;
/// review the received file and rename it to accept it. Line endings are normalised to \n.
/// </summary>
public static class Golden
{
    public static void Verify(string area, string caseName, string actual, [CallerFilePath] string callerPath = "")
    {
        string directory = Path.Combine(ProjectDirectory(callerPath), "Expectations", area);
        string verified = Path.Combine(directory, $"{caseName}.Output.verified.txt");
        string received = Path.Combine(directory, $"{caseName}.Output.received.txt");
        string normalized = Normalize(actual);
        string? expected = File.Exists(verified) ? Normalize(File.ReadAllText(verified)) : null;
        if (expected == normalized)
        {
            if (File.Exists(received))
            {
                File.Delete(received);
            }

            return;
        }

        Directory.CreateDirectory(directory);
        File.WriteAllText(received, normalized, new UTF8Encoding(false));
        Assert.Fail(expected is null
            ? $"No golden file {verified}; wrote {received} for review."
            : $"Output differs from {verified} ({FirstDifference(expected, normalized)}); wrote {received}.");
    }

    /// <summary>Walks up from the calling source file to the folder holding a .csproj: the test project.</summary>
    private static string ProjectDirectory(string callerPath)
    {
        var directory = new DirectoryInfo(Path.GetDirectoryName(callerPath)!);
        while (directory is not null && directory.GetFiles("*.csproj").Length == 0)
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException($"no project folder above {callerPath}");
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n') + "\n";

    private static string FirstDifference(string expected, string actual)
    {
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        for (int i = 0; i < Math.Max(e.Length, a.Length); i++)
        {
            string left = i < e.Length ? e[i] : "<end>";
            string right = i < a.Length ? a[i] : "<end>";
            if (left != right)
            {
                return $"line {i + 1}: expected \"{left}\", got \"{right}\"";
            }
        }

        return "no line differs";
    }
}
