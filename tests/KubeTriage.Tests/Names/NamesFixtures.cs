namespace KubeTriage.Tests.Names;

/// <summary>The fixture files of the names tests, copied next to the test assembly.</summary>
internal static class NamesFixtures
{
    public static string Path(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "Names", "Fixtures", name);
}
