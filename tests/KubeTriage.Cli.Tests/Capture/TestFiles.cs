namespace KubeTriage.Cli.Tests.Capture;

/// <summary>
/// Where test inputs live: the public captures in <c>&lt;repo&gt;/../shared/testdata/pcaps</c> (see its
/// SOURCES.md; never copied into the repo), the lab's recordings in <c>tests/testdata/pcap/lab</c>, and
/// golden files under <c>tests/KubeTriage.Cli.Tests/Capture/Expectations</c>.
/// </summary>
internal static class TestFiles
{
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

    public static string PublicCaptures => Path.GetFullPath(Path.Combine(RepoRoot(), "..", "shared", "testdata", "pcaps"));

    /// <summary>The path of a public capture; skips the test when the shared folder is absent.</summary>
    public static string PublicCapture(string name)
    {
        var path = Path.Combine(PublicCaptures, name);
        Skip.IfNot(File.Exists(path), $"public capture {name} not found in {PublicCaptures} (see SOURCES.md there)");
        return path;
    }

    public static string LabRecording(string name)
    {
        var path = Path.Combine(RepoRoot(), "tests", "testdata", "pcap", "lab", name);
        Skip.IfNot(File.Exists(path), $"lab recording {name} not found in tests/testdata/pcap/lab");
        return path;
    }

    /// <summary>A fresh temporary directory for one test; deleted by the caller's <c>using</c>.</summary>
    public static TempDir Temp() => new();

    /// <summary>
    /// Compares output with a golden file; <c>KUBETRIAGE_UPDATE_GOLDEN=1</c> rewrites it. The capture path
    /// prefix is replaced by <c>&lt;pcaps&gt;</c> so the files do not depend on where the repo lives.
    /// </summary>
    public static void VerifyGolden(string actual, string name)
    {
        var path = Path.Combine(RepoRoot(), "tests", "KubeTriage.Cli.Tests", "Capture", "Expectations", name);
        var normalised = Normalise(actual);
        if (Environment.GetEnvironmentVariable("KUBETRIAGE_UPDATE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, normalised);
            return;
        }

        Assert.True(File.Exists(path), $"golden file {path} is missing: run with KUBETRIAGE_UPDATE_GOLDEN=1 to write it");
        Assert.Equal(File.ReadAllText(path), normalised);
    }

    public static string Normalise(string text) =>
        text.ReplaceLineEndings("\n")
            .Replace(PublicCaptures + Path.DirectorySeparatorChar, "<pcaps>/", StringComparison.Ordinal)
            .Replace(Path.Combine(RepoRoot(), "tests", "testdata", "pcap", "lab") + Path.DirectorySeparatorChar, "<lab>/", StringComparison.Ordinal);

    public sealed class TempDir : IDisposable
    {
        public TempDir()
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"kubetriage-wire-{Guid.NewGuid():N}");
            Directory.CreateDirectory(Path);
        }

        public string Path { get; }

        public string File(string name) => System.IO.Path.Combine(Path, name);

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
