using KubeTriage.Cli.Commands;
using Spectre.Console.Cli;

namespace KubeTriage.Cli;

/// <summary>Every verb, in the order `--help` lists them. Each verb adds one line here.</summary>
public static class Registration
{
    public static void AddCommands(IConfigurator config)
    {
        // The clock reports are stamped with; tests register a fixed one after this.
        config.Settings.Registrar.RegisterInstance<TimeProvider>(TimeProvider.System);
        config.AddCommand<CaptureCommand>("capture")
            .WithDescription("Read pcap/pcapng files taken on the node and say what went wrong on the wire: connects without answer or refused, connects that needed the SYN sent again, a new connection for every request, data lost on the way, packets too big for the path (said by ICMP, or a black hole where a full-size segment never gets through), addresses nobody answers ARP for, receivers that stop reading, servers that reset a connection while a request waits (connection reset by peer), requests the pod gave up waiting for, "
                + "DNS failures, late DNS answers and truncated ones never fetched over TCP, slow or failed MySQL, MySQL servers slow to greet new connections, HTTP server errors (HTTP/1.x and HTTP/2), failed gRPC calls, failed TLS handshakes (a rejected certificate, a refused version), a dependency that holds the pod's time, undeclared peers. Exit 0 clean, 1 findings, 2 bad input.")
            .WithExample("capture", "eth0.pcap", "eth1.pcap", "--pod-ip", "10.0.1.20")
            .WithExample("capture", "any.pcapng", "--expect", "expect.yaml", "--slow-query-ms", "500")
            .WithExample("capture", "healthy.pcap", "--write-expect", "expect.yaml")
            .WithExample("capture", "any.pcap", "--ip-link", "ip-link.json")
            .WithExample("capture", "incident.pcapng", "--format", "html", "-o", "report.html")
            .WithExample("capture", "--live", "--duration", "2m", "--write", "node.pcapng");
        Commands.NodeRegistration.Add(config);
        config.AddCommand<Commands.ClusterCommand>("cluster")
            .WithDescription("Check cluster DNS (CoreDNS replicas, restarts, endpoints, Corefile, logs) and a pod's nameserver, live or from a bundle")
            .WithExample("cluster")
            .WithExample("cluster", "--kubeconfig", "admin.conf", "--context", "prod", "-n", "shop", "--pod", "example-app-7d9c")
            .WithExample("cluster", "--from", "bundle/", "--format", "json", "-o", "cluster.json");
        config.AddCommand<Commands.DnsCommand>("dns")
            .WithDescription("Ask every resolver (cluster DNS, its upstreams, the nodes' resolvers) directly; compare the answers with each other and with the expected ranges; replay the pod's search list.")
            .WithExample("dns", "oss.example.com", "--expect", "expect.yaml")
            .WithExample("dns", "--expect", "expect.yaml", "--resolver", "10.96.0.10", "--resolver", "10.0.0.2=upstream")
            .WithExample("dns", "example-api.com", "--from", "bundle/", "--timeout", "500ms", "--format", "json");
    }
}
