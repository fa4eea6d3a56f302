using System.Net;
using KubeTriage.Names;

namespace KubeTriage.Wire;

/// <summary>How capture evidence is held against an expectations file (shared by analyzers and cause links).</summary>
public static class ExpectationMatch
{
    /// <summary>An address answer for a name with <c>resolvesTo</c> ranges that falls outside all of them.</summary>
    public sealed record UnexpectedAnswer(DnsAnswerGroup Answer, ExpectedDependency Dependency, IReadOnlyList<string> Outside);

    public static IEnumerable<UnexpectedAnswer> UnexpectedAnswers(CaptureEvidence evidence, Expectations? expectations)
    {
        if (expectations is null)
        {
            yield break;
        }

        foreach (var answer in evidence.DnsAnswers)
        {
            if (expectations.ForName(answer.Name) is not { ResolvesTo.Count: > 0 } dependency)
            {
                continue;
            }

            var outside = answer.Addresses
                .Where(a => IPAddress.TryParse(a, out var ip) && dependency.IsUnexpected(ip))
                .ToList();
            if (outside.Count > 0)
            {
                yield return new UnexpectedAnswer(answer, dependency, outside);
            }
        }
    }

    /// <summary>The dependency a peer is, by address, by resolvesTo range, or by a name it was known by.</summary>
    public static ExpectedDependency? DependencyOf(PeerEvidence peer, Expectations expectations)
    {
        var ip = peer.Ip.ToIPAddress();
        foreach (var dependency in expectations.Dependencies)
        {
            if (dependency.AddressIp is { } address && address.Equals(ip))
            {
                return dependency;
            }

            if (IPAddress.TryParse(dependency.Name, out var named) && named.Equals(ip))
            {
                return dependency;
            }

            if (dependency.ResolvesTo.Any(n => n.Contains(ip)))
            {
                return dependency;
            }

            var name = DnsNames.Normalize(dependency.Name);
            if (peer.Names.Any(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase)))
            {
                return dependency;
            }
        }

        return null;
    }

    /// <summary>Multicast, broadcast and unspecified addresses are nobody's dependency.</summary>
    public static bool IsInfrastructure(PeerEvidence peer)
    {
        var ip = peer.Ip.ToIPAddress();
        if (ip.IsIPv6Multicast || ip.Equals(IPAddress.Broadcast) || ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any))
        {
            return true;
        }

        return peer.Ip.IsV4 && (peer.Ip.Low & 0xF0000000) == 0xE0000000;
    }
}
