using System.Net;
using KubeTriage.Capture.Primitives;
using KubeTriage.Names;

namespace KubeTriage.Wire;

/// <summary>
/// Drafts an expectations file from a healthy capture (<c>capture --write-expect</c>): every peer that
/// served the pod becomes a dependency, by the name the pod looked it up by where the capture shows one
/// (with <c>resolvesTo</c> = the /24 or /64 of every answer seen for it) and otherwise by address with
/// its port. A person should read the draft and widen ranges that are meant to move.
/// </summary>
public static class ExpectationsDrafter
{
    public static Expectations Draft(CaptureEvidence evidence, int slowQueryMs)
    {
        var byName = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        var nameOrder = new List<string>();
        var fixedPeers = new List<ExpectedDependency>();
        foreach (var peer in evidence.Peers.OrderBy(p => p.Ip, AddressOrder.Instance))
        {
            if (!peer.ServesPod || ExpectationMatch.IsInfrastructure(peer))
            {
                continue;
            }

            var name = LookedUpName(evidence, peer);
            if (name is null)
            {
                var port = peer.Ports.Count == 1 ? $"{WireText.Endpoint(peer.Ip, peer.Ports[0])}" : peer.Ip.ToString();
                fixedPeers.Add(new ExpectedDependency(peer.Names.Count > 0 ? peer.Names[0] : peer.Ip.ToString(), port, [], 0));
                continue;
            }

            if (!byName.TryGetValue(name, out var ranges))
            {
                ranges = new SortedSet<string>(StringComparer.Ordinal);
                byName[name] = ranges;
                nameOrder.Add(name);
            }

            foreach (var answer in evidence.DnsAnswers.Where(a => a.Name == name))
            {
                foreach (var address in answer.Addresses)
                {
                    if (NetAddress.TryParse(address, out var ip))
                    {
                        ranges.Add(Network(ip));
                    }
                }
            }

            ranges.Add(Network(peer.Ip));
        }

        var dependencies = nameOrder
            .OrderBy(n => n, StringComparer.Ordinal)
            .Select(n => new ExpectedDependency(n, null, byName[n].Select(IPNetwork.Parse).ToList(), 0))
            .Concat(fixedPeers)
            .ToList();
        return new Expectations(dependencies, slowQueryMs);
    }

    /// <summary>The name the pod asked DNS for that led to this address (the query name, not a CNAME target).</summary>
    private static string? LookedUpName(CaptureEvidence evidence, PeerEvidence peer)
    {
        var address = peer.Ip.ToString();
        var answers = evidence.DnsAnswers.Where(a => a.Addresses.Contains(address)).ToList();
        var fromPod = answers.Where(a => evidence.IsPod(a.Client)).ToList();
        var chosen = (fromPod.Count > 0 ? fromPod : answers)
            .OrderByDescending(a => a.Count).ThenBy(a => a.Name, StringComparer.Ordinal).FirstOrDefault();
        return chosen?.Name;
    }

    /// <summary>The /24 (IPv4) or /64 (IPv6) around an address.</summary>
    public static string Network(NetAddress ip) => ip.IsV4
        ? $"{new NetAddress(0, ip.Low & 0xFFFFFF00, true)}/24"
        : $"{new NetAddress(ip.High, 0, false)}/64";
}
