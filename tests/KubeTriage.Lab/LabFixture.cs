using System.Globalization;

namespace KubeTriage.Lab;

/// <summary>
/// One network-namespace lab (<c>tests/lab/lab.sh</c>) for an xunit collection: brought up once, torn down
/// in <see cref="DisposeAsync"/> (and by a watchdog if this process dies first). When the lab cannot run
/// here (not root, a tool missing), <see cref="IsAvailable"/> is false and tests skip with
/// <see cref="SkipReason"/>: <c>Skip.IfNot(lab.IsAvailable, lab.SkipReason)</c>.
/// </summary>
public sealed class LabFixture : IAsyncLifetime
{
    /// <summary>The programs the lab runs, and the Debian package each comes from.</summary>
    private static readonly (string Tool, string Package)[] _tools =
    [
        ("ip", "iproute2"), ("tc", "iproute2"), ("nft", "nftables"), ("dnsmasq", "dnsmasq-base"),
        ("mariadbd", "mariadb-server"), ("mariadb-install-db", "mariadb-server"), ("mariadb", "mariadb-client"),
        ("tcpdump", "tcpdump"), ("curl", "curl"), ("/usr/bin/python3", "python3"), ("ping", "iputils-ping"),
        ("getent", "libc-bin"), ("flock", "util-linux"), ("setsid", "util-linux"), ("timeout", "coreutils"),
        ("sha1sum", "coreutils"),
    ];

    private const int ExitNoNetns = 3;
    private const int ExitPrefixTaken = 4;
    private readonly List<LabCapture> _captures = [];
    private double _slowDbSeconds;
    private bool _up;

    public bool IsAvailable { get; private set; }

    /// <summary>Why the lab cannot run here (empty when it can).</summary>
    public string SkipReason { get; private set; } = "lab not initialised";

    /// <summary>The lab's unique prefix (at most 6 characters): its namespaces are <c>PREFIX-node</c>, ….</summary>
    public string Prefix { get; private set; } = "";

    /// <summary>The node: <c>eth0</c> (node subnet), <c>eth1</c> (pod subnet), the pod's veth <see cref="PodVeth"/>.</summary>
    public string NodeNs => $"{Prefix}-node";

    /// <summary>The app pod (198.18.1.20/32, ClusterFirst resolv.conf).</summary>
    public string PodNs => $"{Prefix}-pod";

    /// <summary>Cluster DNS, both upstream DNS servers, MariaDB.</summary>
    public string SvcNs => $"{Prefix}-svc";

    /// <summary>The VPC router joining the subnets (and dropping pod-sourced TCP/UDP from the node subnet).</summary>
    public string VpcNs => $"{Prefix}-vpc";

    /// <summary>The object store (dedicated line and public path) and the external API address.</summary>
    public string OssNs => $"{Prefix}-oss";

    /// <summary>Where <c>eth1</c> waits while the <see cref="Fault.Nic"/> fault is on.</summary>
    public string ParkNs => $"{Prefix}-park";

    /// <summary>The node-side veth of the pod, named like the VPC CNI names it (<c>eni</c> + 11 hex digits).</summary>
    public string PodVeth { get; private set; } = "";

    /// <summary>The lab's state directory: pidfiles, <c>logs/</c> (DNS query logs, MariaDB slow log), the database.</summary>
    public string StateDir { get; private set; } = "";

    /// <summary>How long <c>lab.sh up</c> took.</summary>
    public TimeSpan UpTime { get; private set; }

    /// <summary>Timeout of <see cref="Exec(string, string, string[])"/>.</summary>
    public TimeSpan ExecTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>MariaDB's slow query log (long_query_time = 1 s).</summary>
    public string SlowQueryLogPath => Path.Combine(StateDir, "logs", "mariadb-slow.log");

    /// <summary>dnsmasq's query log of one DNS server: "cluster", "upstream1" or "upstream2".</summary>
    public string DnsLogPath(string server) => Path.Combine(StateDir, "logs", $"dns-{server}.log");

    public async Task InitializeAsync()
    {
        if (FindUnavailableReason() is { } reason)
        {
            SkipReason = reason;
            return;
        }

        for (var attempt = 0; ; attempt++)
        {
            Prefix = NewPrefix();
            var up = await RunLab(TimeSpan.FromSeconds(120), "up").ConfigureAwait(false);
            if (up.ExitCode == ExitPrefixTaken && attempt < 5)
            {
                continue;
            }

            if (up.ExitCode == ExitNoNetns)
            {
                SkipReason = $"lab tests need network namespaces (root with CAP_SYS_ADMIN): {up.StdErr.Trim()}";
                return;
            }

            if (!up.Succeeded)
            {
                throw new LabException($"lab.sh up failed: {up}");
            }

            var values = up.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(l => l.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
            PodVeth = values["veth"];
            StateDir = values["state"];
            UpTime = up.Elapsed;
            _up = true;
            IsAvailable = true;
            SkipReason = "";
            return;
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var capture in _captures)
        {
            await capture.DisposeAsync().ConfigureAwait(false);
        }

        _captures.Clear();
        if (_up)
        {
            _up = false;
            await RunLab(TimeSpan.FromSeconds(60), "down").ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Injects a fault (<paramref name="seconds"/> is the query time for <see cref="Fault.SlowDb"/>).
    /// Idempotent. Disposing the result heals it: <c>await using var _ = await lab.Inject(Fault.Route);</c>
    /// </summary>
    public async Task<InjectedFault> Inject(Fault fault, double? seconds = null)
    {
        string[] args = ["inject", fault.ToLabName()];
        if (fault == Fault.SlowDb)
        {
            if (seconds is not { } s || s < 0)
            {
                throw new ArgumentException("slow-db needs the number of seconds each query takes", nameof(seconds));
            }

            args = [.. args, s.ToString("0.###", CultureInfo.InvariantCulture)];
            _slowDbSeconds = s;
        }
        else if (seconds is not null)
        {
            throw new ArgumentException($"{fault} takes no seconds", nameof(seconds));
        }

        await RunLabChecked(args).ConfigureAwait(false);
        return new InjectedFault(this, fault);
    }

    /// <summary>Heals one fault (idempotent).</summary>
    public async Task Heal(Fault fault)
    {
        await RunLabChecked("heal", fault.ToLabName()).ConfigureAwait(false);
        if (fault == Fault.SlowDb)
        {
            _slowDbSeconds = 0;
        }
    }

    /// <summary>Heals every fault.</summary>
    public async Task HealAll()
    {
        await RunLabChecked("heal", "all").ConfigureAwait(false);
        _slowDbSeconds = 0;
    }

    /// <summary>Runs the app in the pod (bounded by timeouts: a fault makes it fail, never hang).</summary>
    public async Task<AppRun> RunApp(int queries = 13)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(queries);
        var timeout = TimeSpan.FromSeconds(60 + (queries * (_slowDbSeconds + 1)));
        var run = await RunLab(timeout, "app", queries.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
        return AppRun.Parse(run, queries);
    }

    /// <summary>
    /// Runs a program inside a lab namespace (a full name like <see cref="PodNs"/>, or a short one:
    /// "node", "pod", "vpc", "svc", "oss", "park"), with <see cref="ExecTimeout"/>.
    /// </summary>
    public Task<ExecResult> Exec(string ns, string file, params string[] args) => Exec(ExecTimeout, ns, file, args);

    public Task<ExecResult> Exec(TimeSpan timeout, string ns, string file, params string[] args)
    {
        EnsureUp();
        return ProcessRunner.Run(Tools.Ip, ["netns", "exec", Namespace(ns), file, .. args], timeout);
    }

    /// <summary>
    /// Starts tcpdump on <paramref name="iface"/> ("any", "eth0", "eth1", <see cref="PodVeth"/>) inside a lab
    /// namespace, writing <paramref name="pcapPath"/>; returns once it listens. Dispose to stop it cleanly.
    /// </summary>
    public async Task<LabCapture> StartCapture(string ns, string iface, string pcapPath, string? filter = null)
    {
        EnsureUp();
        var capture = await LabCapture.Start(Namespace(ns), iface, pcapPath, filter).ConfigureAwait(false);
        _captures.Add(capture);
        return capture;
    }

    /// <summary>Runs <c>tests/lab/lab.sh ARGS</c> for this lab (e.g. "status").</summary>
    public Task<ExecResult> Lab(params string[] args) => RunLab(TimeSpan.FromSeconds(120), args);

    private string Namespace(string ns) =>
        ns is "node" or "pod" or "vpc" or "svc" or "oss" or "park" ? $"{Prefix}-{ns}" : ns;

    private void EnsureUp()
    {
        if (!_up)
        {
            throw new InvalidOperationException($"the lab is not up: {SkipReason}");
        }
    }

    private async Task RunLabChecked(params string[] args)
    {
        EnsureUp();
        var result = await RunLab(TimeSpan.FromSeconds(60), args).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new LabException($"lab.sh {string.Join(' ', args)} failed: {result}");
        }
    }

    private Task<ExecResult> RunLab(TimeSpan timeout, params string[] args) =>
        ProcessRunner.Run(
            TestPaths.LabScript,
            args,
            timeout,
            new Dictionary<string, string>
            {
                ["KT_LAB_PREFIX"] = Prefix,
                ["KT_LAB_OWNER"] = Environment.ProcessId.ToString(CultureInfo.InvariantCulture),
            });

    private static string NewPrefix()
    {
        const string digits = "0123456789abcdefghijklmnopqrstuvwxyz";
        while (true)
        {
            var n = (Environment.ProcessId * 7919) ^ Random.Shared.Next();
            var prefix = "kt" + new string([.. Enumerable.Range(0, 4).Select(i => digits[(int)((uint)(n >> (i * 6)) % 36)])]);
            if (!File.Exists($"/run/netns/{prefix}-node"))
            {
                return prefix;
            }
        }
    }

    private static string? FindUnavailableReason()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "lab tests need Linux network namespaces";
        }

        if (!Environment.IsPrivilegedProcess)
        {
            return "lab tests need root (ip netns); run ./test.sh as root";
        }

        var missing = _tools.Where(t => !OnPath(t.Tool)).ToArray();
        if (missing.Length > 0)
        {
            return $"lab tests need {string.Join(", ", missing.Select(m => Path.GetFileName(m.Tool)))} " +
                $"(apt-get install {string.Join(' ', missing.Select(m => m.Package).Distinct())}; ./test.sh installs them)";
        }

        return File.Exists(TestPaths.LabScript) ? null : $"lab script missing: {TestPaths.LabScript}";
    }

    private static bool OnPath(string tool) => Tools.Find(tool) is not null;
}
