namespace KubeTriage.Tests.Names;

/// <summary>
/// Compares output with a golden file in <c>tests/KubeTriage.Tests/Names/Expectations/NAME.verified.txt</c>.
/// Set <c>KUBETRIAGE_UPDATE_GOLDEN=1</c> to write the files anew after a deliberate change, then review the diff.
/// </summary>
internal static class Golden
{
    public static void Verify(string name, string actual)
    {
        var path = Path.Combine(RepoRoot(), "tests", "KubeTriage.Tests", "Names", "Expectations", $"{name}.verified.txt");
        var normalized = actual.ReplaceLineEndings("\n");
        if (Environment.GetEnvironmentVariable("KUBETRIAGE_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(path, normalized);
            return;
        }

        Assert.True(File.Exists(path), $"golden file {path} is missing; run with KUBETRIAGE_UPDATE_GOLDEN=1 to create it");
        Assert.Equal(File.ReadAllText(path), normalized);
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "KubeTriage.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no KubeTriage.slnx above {AppContext.BaseDirectory}");
    }
}
