namespace KubeTriage.Lab;

/// <summary>Where the repository and the shared test data are, seen from a test assembly.</summary>
public static class TestPaths
{
    private static readonly Lazy<string> _repoRoot = new(FindRepoRoot);

    /// <summary>The directory holding <c>KubeTriage.slnx</c> (walked up to from the test assembly).</summary>
    public static string RepoRoot => _repoRoot.Value;

    /// <summary>The shared test data next to the repository (<c>../shared/testdata</c>); it may be absent.</summary>
    public static string SharedTestData => Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "testdata"));

    /// <summary>A real public capture from <c>../shared/testdata/pcaps/</c> (see its SOURCES.md).</summary>
    public static string SharedPcap(string fileName) => Path.Combine(SharedTestData, "pcaps", fileName);

    /// <summary>A file under the repository's <c>tests/testdata/</c>.</summary>
    public static string TestData(params string[] parts) => Path.Combine([RepoRoot, "tests", "testdata", .. parts]);

    /// <summary>The lab script, <c>tests/lab/lab.sh</c>.</summary>
    public static string LabScript => Path.Combine(RepoRoot, "tests", "lab", "lab.sh");

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "KubeTriage.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"no KubeTriage.slnx above {AppContext.BaseDirectory}");
    }
}
