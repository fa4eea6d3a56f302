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
    private readonly List<string> _resolvConfs = [];

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

    /// <summary>Makes namespaces <paramref name="client"/> and <paramref name="server"/> on one link (c0–s0), each with its address in a /24.</summary>
    public async Task AddPair(string client, string clientAddress, string server, string serverAddress)
    {
        await Add(client).ConfigureAwait(false);
        await Add(server).ConfigureAwait(false);
        await Link((Name(client), "c0", $"{clientAddress}/24"), (Name(server), "s0", $"{serverAddress}/24")).ConfigureAwait(false);
    }

    /// <summary>
    /// Makes namespaces <paramref name="client"/>, <paramref name="router"/> and <paramref name="server"/>: the client's
    /// and the server's /24 each on a veth pair to the router (c0–rc and s0–rs), the router taking .1 of both, the
    /// client's and the server's default routes through it, and forwarding on in the router.
    /// </summary>
    public async Task AddRouted(string client, string clientAddress, string router, string server, string serverAddress)
    {
        await Add(client).ConfigureAwait(false);
        await Add(router).ConfigureAwait(false);
        await Add(server).ConfigureAwait(false);
        var (clientGateway, serverGateway) = (Gateway(clientAddress), Gateway(serverAddress));
        await Link((Name(client), "c0", $"{clientAddress}/24"), (Name(router), "rc", $"{clientGateway}/24")).ConfigureAwait(false);
        await Link((Name(server), "s0", $"{serverAddress}/24"), (Name(router), "rs", $"{serverGateway}/24")).ConfigureAwait(false);
        await Run(Tools.Ip, "-n", Name(client), "route", "add", "default", "via", clientGateway).ConfigureAwait(false);
        await Run(Tools.Ip, "-n", Name(server), "route", "add", "default", "via", serverGateway).ConfigureAwait(false);
        await Run(Tools.Ip, "netns", "exec", Name(router), "sysctl", "-qw", "net.ipv4.ip_forward=1").ConfigureAwait(false);
    }

    /// <summary>
    /// Gives namespace <paramref name="suffix"/> its own resolv.conf: <c>ip netns exec</c> bind-mounts /etc/netns/NS/resolv.conf
    /// over /etc/resolv.conf for what it runs there. Written again on each call; removed on dispose.
    /// </summary>
    public async Task WriteResolvConf(string suffix, string content)
    {
        var directory = Path.Combine("/etc/netns", Name(suffix));
        Directory.CreateDirectory(directory);
        if (!_resolvConfs.Contains(directory))
        {
            _resolvConfs.Add(directory);
        }

        await File.WriteAllTextAsync(Path.Combine(directory, "resolv.conf"), content).ConfigureAwait(false);
    }

    /// <summary>Runs a command until it succeeds, up to 50 times 200 ms apart (a server starting to listen), and returns the last result.</summary>
    public static async Task<ExecResult> Retry(string file, params string[] args)
    {
        ExecResult? result = null;
        for (var attempt = 0; attempt < 50 && result is not { Succeeded: true }; attempt++)
        {
            await Task.Delay(attempt == 0 ? 0 : 200).ConfigureAwait(false);
            result = await ProcessRunner.Run(file, args).ConfigureAwait(false);
        }

        return result!;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var directory in _resolvConfs.Where(Directory.Exists))
        {
            Directory.Delete(directory, recursive: true);
        }

        _resolvConfs.Clear();
        foreach (var ns in _made)
        {
            await ProcessRunner.Run(Tools.Ip, ["netns", "del", ns]).ConfigureAwait(false);
        }

        _made.Clear();
    }

    /// <summary>The .1 of an address's /24.</summary>
    private static string Gateway(string address) => address[..(address.LastIndexOf('.') + 1)] + "1";
}
