namespace KubeTriage.Capture.Tests.Support;

/// <summary>
/// Finds the public captures of <c>../shared/testdata/pcaps/</c> (see its SOURCES.md): walks up from the
/// test assembly to the folder holding KubeTriage.slnx, then to <c>../shared/testdata/pcaps</c>.
/// Tests skip with a reason when the folder is absent.
/// </summary>
public static class TestCaptures
{
    private static readonly Lazy<string?> Directory = new(Find);

    public static string? Folder => Directory.Value;

    public static string SkipReason => "public captures not found: expected ../shared/testdata/pcaps next to the repository";

    /// <summary>The full path of a public capture, or null when the folder is absent.</summary>
    public static string? Path(string fileName) => Folder is { } folder ? System.IO.Path.Combine(folder, fileName) : null;

    /// <summary>The repository root (the folder holding KubeTriage.slnx).</summary>
    public static string? RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(System.IO.Path.Combine(directory.FullName, "KubeTriage.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName;
    }

    private static string? Find()
    {
        string? root = RepositoryRoot();
        if (root is null)
        {
            return null;
        }

        string folder = System.IO.Path.GetFullPath(System.IO.Path.Combine(root, "..", "shared", "testdata", "pcaps"));
        return System.IO.Directory.Exists(folder) ? folder : null;
    }
}
