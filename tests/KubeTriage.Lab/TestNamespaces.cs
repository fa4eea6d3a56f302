namespace KubeTriage.Lab;

/// <summary>
/// Network namespaces one test makes for itself, named with a prefix and the process id (so that runs side by side
/// do not meet), joined by veth pairs, and removed on dispose whether the test passed or not. Addresses given to
/// them come from 198.18.0.0/15 and exist only inside these namespaces.
/// </summary>
public sealed class TestNamespaces(string prefix) : IAsyncDisposable
{
    private readonly string _prefix = $"{prefix}{Environment.ProcessId % 100000}";
    private readonly List<string> _made = [];

    /// <summary>Why a test that needs root (to do <paramref name="what"/>) and these tools cannot run here, or null when it can.</summary>
    public static string? Unavailable(string what, params string[] tools)
    {
        if (!Environment.IsPrivilegedProcess)
        {
            return $"needs root to {what}";
        }

        return tools.Where(t => Tools.Find(t) is null).Select(t => $"{t} is not installed (./test.sh installs it)").FirstOrDefault();
    }

    /// <summary>The name namespace <paramref name="suffix"/> has (made or not).</summary>
    public string Name(string suffix) => _prefix + suffix;

    /// <summary>Makes namespace <paramref name="suffix"/> with its loopback up, and returns its name.</summary>
    public async Task<string> Add(string suffix)
    {
        var ns = Name(suffix);
        await Run(Tools.Ip, "netns", "add", ns).ConfigureAwait(false);
        _made.Add(ns);
        await Run(Tools.Ip, "-n", ns, "link", "set", "lo", "up").ConfigureAwait(false);
        return ns;
    }

    /// <summary>Joins two namespaces with a veth pair: each end gets its name, its address (CIDR) when one is given, and goes up.</summary>
    public static async Task Link((string Ns, string Device, string? Address) a, (string Ns, string Device, string? Address) b)
    {
        await Run(Tools.Ip, "link", "add", a.Device, "netns", a.Ns, "type", "veth", "peer", "name", b.Device, "netns", b.Ns).ConfigureAwait(false);
        foreach (var (ns, device, address) in new[] { a, b })
        {
            if (address is not null)
            {
                await Run(Tools.Ip, "-n", ns, "addr", "add", address, "dev", device).ConfigureAwait(false);
            }

            await Run(Tools.Ip, "-n", ns, "link", "set", device, "up").ConfigureAwait(false);
        }
    }

    /// <summary>Runs a command; when it fails, throws a <see cref="LabException"/> that carries the command and its output.</summary>
    public static async Task Run(string file, params string[] args)
    {
        var result = await ProcessRunner.Run(file, args).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new LabException($"{file} {string.Join(' ', args)}: {result}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var ns in _made)
        {
            await ProcessRunner.Run(Tools.Ip, ["netns", "del", ns]).ConfigureAwait(false);
        }

        _made.Clear();
    }
}
