namespace KubeTriage.Capture.Tests.Protocols.Support;

/// <summary>Where the repository, the shared public captures and this folder's fixtures are.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> Root = new(FindRoot);

    /// <summary>The directory holding <c>KubeTriage.slnx</c>, found by walking up from the test assembly.</summary>
    public static string RepoRoot => Root.Value;

    /// <summary>The public captures (<c>../shared/testdata/pcaps</c> beside the repository).</summary>
    public static string PublicCaptures => Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "testdata", "pcaps"));

    /// <summary>Fixtures copied next to the test assembly.</summary>
    public static string Fixtures => Path.Combine(AppContext.BaseDirectory, "Protocols", "Fixtures");

    /// <summary>Golden files live in the source tree so that a mismatch can be inspected and accepted there.</summary>
    public static string Expectations => Path.Combine(RepoRoot, "tests", "KubeTriage.Capture.Tests", "Expectations");

    public static string? PublicCapture(string fileName)
    {
        var path = Path.Combine(PublicCaptures, fileName);
        return File.Exists(path) ? path : null;
    }

    private static string FindRoot()
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
