using System.Net;
using KubeTriage.Names;

namespace KubeTriage.Cluster.Corefiles;

/// <summary>
/// A parsed Corefile (CoreDNS's Caddyfile dialect): server blocks, their plugins, and the
/// <c>forward</c>/<c>proxy</c> targets per zone. Never throws: what it cannot read goes to <see cref="Problems"/>.
/// Used by the cluster checks and by resolver discovery (<see cref="Upstreams"/>).
/// </summary>
public sealed class Corefile
{
    private Corefile(IReadOnlyList<CorefileServerBlock> serverBlocks, IReadOnlyList<CorefileForward> forwards, IReadOnlyList<string> problems)
    {
        ServerBlocks = serverBlocks;
        Forwards = forwards;
        Problems = problems;
    }

    public IReadOnlyList<CorefileServerBlock> ServerBlocks { get; }

    /// <summary>Every <c>forward</c>/<c>proxy</c> line, in file order.</summary>
    public IReadOnlyList<CorefileForward> Forwards { get; }

    public IReadOnlyList<string> Problems { get; }

    /// <summary>True when some server block has the <c>loop</c> plugin (it probes upstreams with HINFO at start).</summary>
    public bool HasLoopPlugin => ServerBlocks.Any(b => b.Has("loop"));

    /// <summary>The zones of every <c>kubernetes</c> plugin line (<c>cluster.local in-addr.arpa ip6.arpa</c>).</summary>
    public IReadOnlyList<string> KubernetesZones =>
        ServerBlocks.SelectMany(b => b.Directives).Where(d => d.Name == "kubernetes")
            .SelectMany(d => d.Args.Count > 0 ? d.Args : ["."]).Distinct(StringComparer.Ordinal).ToList();

    public static Corefile Parse(string text)
    {
        var problems = new List<string>();
        var tokens = CorefileTokenizer.Tokenize(text, problems);
        var blocks = new CorefileParser(tokens, problems).ParseServerBlocks();
        var forwards = new List<CorefileForward>();
        foreach (var block in blocks)
        {
            foreach (var directive in block.Directives.Where(d => d.Name is "forward" or "proxy"))
            {
                if (directive.Args.Count < 2)
                {
                    problems.Add($"line {directive.Line}: '{directive}' needs FROM and at least one TO");
                    continue;
                }

                var targets = new List<CorefileForwardTarget>();
                foreach (var arg in directive.Args.Skip(1))
                {
                    var target = CorefileForwardTarget.TryParse(arg);
                    if (target is null)
                    {
                        problems.Add($"line {directive.Line}: {directive.Name} target '{arg}' is not an IP address or file");
                    }
                    else
                    {
                        targets.Add(target);
                    }
                }

                forwards.Add(new CorefileForward(
                    block.Label, block.Zones, directive.Name, directive.Args[0], targets,
                    directive.Block.Select(o => o.ToString()).ToList(), directive.Line));
            }
        }

        return new Corefile(blocks, forwards, problems);
    }

    /// <summary>
    /// The upstream resolvers as endpoints, in file order, without duplicates. File targets
    /// (<c>/etc/resolv.conf</c>: the CoreDNS pod's own file, the node's under <c>dnsPolicy: Default</c>) are
    /// expanded through <paramref name="readResolvConf"/> when it knows the file; nameservers get port 53.
    /// </summary>
    public IReadOnlyList<IPEndPoint> Upstreams(Func<string, ResolvConf?>? readResolvConf = null)
    {
        var result = new List<IPEndPoint>();
        foreach (var target in Forwards.SelectMany(f => f.Targets))
        {
            if (target.Endpoint is not null)
            {
                result.Add(target.Endpoint);
            }
            else if (target.FilePath is not null && readResolvConf?.Invoke(target.FilePath) is { } resolv)
            {
                result.AddRange(resolv.Nameservers.Select(ns => new IPEndPoint(ns, 53)));
            }
        }

        return result.Distinct().ToList();
    }
}
