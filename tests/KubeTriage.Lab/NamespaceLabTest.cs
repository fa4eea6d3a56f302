namespace KubeTriage.Lab;

/// <summary>
/// What every lab test made of network namespaces shares: its <see cref="TestNamespaces"/>, a temporary folder for
/// captures and files, and the reason it skips where the lab cannot run (not root, a tool missing). A test says what
/// it needs in its constructor and builds its namespaces in <see cref="Build"/>; both the namespaces and the folder
/// are removed on dispose, also when the test failed.
/// </summary>
/// <param name="prefix">The namespaces' name prefix (a few letters, unique among the lab tests).</param>
/// <param name="what">What the test needs root for, as the skip reason says it ("make network namespaces").</param>
/// <param name="tools">The programs the test runs.</param>
public abstract class NamespaceLabTest(string prefix, string what, params string[] tools) : IAsyncLifetime
{
    protected TestNamespaces Namespaces { get; } = new(prefix);

    protected DirectoryInfo Temp { get; } = Directory.CreateTempSubdirectory($"kubetriage-{prefix}-");

    /// <summary>Why the test cannot run here, or null when it can: pass it to <c>Skip.If</c> first thing. <see cref="Build"/> may set it
    /// when the machine lacks something only trying shows (a kernel without VXLAN).</summary>
    protected string? SkipReason { get; set; }

    /// <summary>The client's namespace ("c"): the pod, in most tests.</summary>
    protected string ClientNs => Namespaces.Name("c");

    /// <summary>The server's namespace ("s").</summary>
    protected string ServerNs => Namespaces.Name("s");

    public async Task InitializeAsync()
    {
        SkipReason = TestNamespaces.Unavailable(what, tools);
        if (SkipReason is null)
        {
            await Build().ConfigureAwait(false);
        }
    }

    /// <summary>Makes the namespaces and what runs in them (e.g. <see cref="TestNamespaces.AddPair"/>); called only where the lab can run.</summary>
    protected abstract Task Build();

    public async Task DisposeAsync()
    {
        await Namespaces.DisposeAsync().ConfigureAwait(false);
        Temp.Delete(recursive: true);
    }
}
