namespace KubeTriage.Tests.Reports;

/// <summary>
/// Compares output with a golden file under <c>tests/KubeTriage.Tests/Reports/Expectations/</c> in the
/// source tree. Set <c>KUBETRIAGE_UPDATE_GOLDEN=1</c> to (re)write the files after a deliberate change,
/// then review the diff.
/// </summary>
internal static class Golden
{
    public static void Verify(string actual, string name)
    {
        var path = Path.Combine(RepoRoot(), "tests", "KubeTriage.Tests", "Reports", "Expectations", name);
        var normalised = actual.ReplaceLineEndings("\n");
        if (Environment.GetEnvironmentVariable("KUBETRIAGE_UPDATE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, normalised);
            return;
        }

        Assert.True(File.Exists(path), $"golden file {path} is missing: run with KUBETRIAGE_UPDATE_GOLDEN=1 to write it");
        Assert.Equal(File.ReadAllText(path), normalised);
    }

    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "KubeTriage.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("KubeTriage.slnx not found above " + AppContext.BaseDirectory);
    }
}
