using KubeTriage.Findings;
using KubeTriage.Lab;

namespace KubeTriage.Tests.Lab;

/// <summary>
/// A real MariaDB that resolves its clients' addresses (skip_name_resolve off, its default) against a DNS server that
/// never answers: a client namespace (the pod, 198.19.254.2, which also holds the silent DNS server) and a server
/// namespace (198.19.254.3) on one link, the server's resolv.conf pointing at the client with a 1 s timeout. Every new
/// connection waits for the lookup to time out before the greeting. tcpdump on the client's NIC sees both the late
/// greetings and the server's unanswered PTR queries. Addresses are from 198.18.0.0/15 and exist only in the namespaces
/// the test makes and removes.
/// </summary>
public sealed class MySqlSlowConnectCaptureTests() : NamespaceLabTest("ktmdb", "make network namespaces", "ip", "tcpdump", "python3", "mariadbd", "mariadb-install-db", "mariadb")
{
    private const string Client = "198.19.254.2";
    private const string Server = "198.19.254.3";

    /// <summary>Reads DNS questions on argv[1]:53 and never answers.</summary>
    private const string SilentDnsScript = """
        import socket, sys
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind((sys.argv[1], 53))
        while True:
            s.recvfrom(4096)
        """;

    private string Socket => Path.Combine(Temp.FullName, "mysql.sock");

    protected override async Task Build()
    {
        await Namespaces.AddPair("c", Client, "s", Server);
        await Namespaces.WriteResolvConf("s", $"nameserver {Client}\noptions timeout:1 attempts:1\n");
        await TestNamespaces.Run("mariadb-install-db", "--no-defaults", "--user=root", $"--datadir={Path.Combine(Temp.FullName, "db")}",
            "--auth-root-authentication-method=socket", "--skip-test-db");
    }

    [SkippableFact]
    public async Task AServerWaitingOnItsReverseLookupBeforeTheGreetingIsFoundWithTheLookups()
    {
        Skip.If(SkipReason is not null, SkipReason);

        // Given: the silent DNS server, MariaDB (name resolution on), a user that may log in from anywhere
        await using var dns = NamespaceHttpServer.StartScript(ClientNs, SilentDnsScript, Client);
        await using var database = NamespaceHttpServer.StartProgram(ServerNs, "mariadbd", "--no-defaults", "--user=root",
            $"--datadir={Path.Combine(Temp.FullName, "db")}", $"--socket={Socket}", $"--pid-file={Path.Combine(Temp.FullName, "mariadbd.pid")}",
            $"--log-error={Path.Combine(Temp.FullName, "mariadbd.log")}", $"--bind-address={Server}", "--port=3306", "--skip-ssl", "--skip-log-bin",
            "--performance-schema=0");
        var ready = await TestNamespaces.Retry("mariadb", $"--socket={Socket}", "-e", "CREATE USER IF NOT EXISTS 'kt'@'%' IDENTIFIED BY 'kt'");
        Assert.True(ready.Succeeded, ready.ToString());
        var pcap = Path.Combine(Temp.FullName, "c0.pcap");

        // When: the pod connects and runs one query, twice
        var queries = new List<ExecResult>();
        await using (var capture = await LabCapture.Start(ClientNs, "c0", pcap))
        {
            for (var i = 0; i < 2; i++)
            {
                queries.Add(await ProcessRunner.Run(Tools.Ip, ["netns", "exec", ClientNs, "mariadb", "-h", Server, "-ukt", "-pkt", "--skip-ssl", "-N", "-e", "SELECT 1"]));
            }
        }

        var (evidence, findings) = LabCaptureAnalysis.Analyze(pcap, Client);

        // Then: both queries worked, each connection waited a second for its greeting, and the lookups are cited
        Assert.All(queries, q => Assert.True(q.Succeeded && q.StdOut.Trim() == "1", q.ToString()));
        var finding = Assert.Single(findings, f => f.Id == FindingIds.MySqlSlowConnect);
        Assert.Equal(Severity.Critical, finding.Severity);
        Assert.Matches($@"^{Server.Replace(".", @"\.")}:3306 greets new connections \d\.\d\d s late \(2 of 2 connections\)$", finding.Title);
        Assert.StartsWith($"2 of 2 connections from the pod to {Server}:3306 waited half a second or more for the server's greeting", finding.Evidence[0], StringComparison.Ordinal);
        Assert.Contains(finding.Evidence, l => l.StartsWith($"the server's own reverse lookups went unanswered: ", StringComparison.Ordinal) && l.Contains("2.254.19.198.in-addr.arpa", StringComparison.Ordinal));
        Assert.Contains("skip_name_resolve", finding.Remediation, StringComparison.Ordinal);
        Assert.All(evidence.TcpGroups.Where(g => g.Server.Port == 3306), g => Assert.InRange(g.GreetingDelayMaxNs, 900_000_000L, 5_000_000_000L));
    }
}
