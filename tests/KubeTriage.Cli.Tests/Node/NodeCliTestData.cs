namespace KubeTriage.Cli.Tests.Node;

/// <summary>Paths into the repository for the node CLI tests: fixtures under tests/testdata/node and golden files beside these tests.</summary>
internal static class NodeCliTestData
{
    private static readonly Lazy<string> _repoRoot = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "KubeTriage.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"no KubeTriage.slnx above {AppContext.BaseDirectory}");
    });

    public static string RepoRoot => _repoRoot.Value;

    public static string Fixture(params string[] parts) => Path.Combine([RepoRoot, "tests", "testdata", "node", .. parts]);

    /// <summary>
    /// Compares <paramref name="actual"/> with <c>Node/Expectations/NAME.verified.txt</c>. On a difference (or when
    /// the file is missing) writes <c>NAME.received.txt</c> beside it to inspect and copy over.
    /// </summary>
    public static void AssertGolden(string name, string actual)
    {
        var dir = Path.Combine(RepoRoot, "tests", "KubeTriage.Cli.Tests", "Node", "Expectations");
        var verified = Path.Combine(dir, $"{name}.verified.txt");
        var received = Path.Combine(dir, $"{name}.received.txt");
        var normalised = actual.ReplaceLineEndings("\n");
        var expected = File.Exists(verified) ? File.ReadAllText(verified).ReplaceLineEndings("\n") : null;
        if (expected == normalised)
        {
            File.Delete(received);
            return;
        }

        File.WriteAllText(received, normalised);
        Assert.Fail(expected is null
            ? $"no golden file {verified}; the output is in {received}"
            : $"output differs from {verified}; see {received}");
    }
}
