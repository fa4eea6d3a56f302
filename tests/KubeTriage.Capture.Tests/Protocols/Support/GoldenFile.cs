namespace KubeTriage.Capture.Tests.Protocols.Support;

/// <summary>
/// Compares text with <c>Expectations/&lt;Area&gt;/&lt;Case&gt;.Output.verified.txt</c>. On a mismatch (or
/// when the verified file is missing) it writes the actual text beside it as <c>.received.txt</c> and
/// fails; accept a change by renaming the received file over the verified one.
/// </summary>
public static class GoldenFile
{
    public static void Verify(string area, string caseName, string actual)
    {
        var directory = Path.Combine(RepoPaths.Expectations, area);
        var verified = Path.Combine(directory, caseName + ".Output.verified.txt");
        var received = Path.Combine(directory, caseName + ".Output.received.txt");
        var normalized = actual.Replace("\r\n", "\n", StringComparison.Ordinal);
        if (File.Exists(verified) && File.ReadAllText(verified).Replace("\r\n", "\n", StringComparison.Ordinal) == normalized)
        {
            File.Delete(received);
            return;
        }

        Directory.CreateDirectory(directory);
        File.WriteAllText(received, normalized);
        Assert.Fail(File.Exists(verified)
            ? $"{caseName}: output differs from {verified}; see {received}\n{FirstDifference(File.ReadAllText(verified), normalized)}"
            : $"{caseName}: no verified file yet; review {received} and rename it to {Path.GetFileName(verified)}");
    }

    private static string FirstDifference(string expected, string actual)
    {
        var e = expected.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var a = actual.Split('\n');
        for (var i = 0; i < Math.Max(e.Length, a.Length); i++)
        {
            var el = i < e.Length ? e[i] : "<end>";
            var al = i < a.Length ? a[i] : "<end>";
            if (el != al)
            {
                return $"line {i + 1}:\n  expected: {el}\n  actual:   {al}";
            }
        }

        return string.Empty;
    }
}
