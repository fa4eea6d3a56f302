using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Flows;

/// <summary>
/// The ARP requests seen on one interface for one IPv4 address (who has <see cref="Target"/>?), and the replies that
/// answered them. Requests without a reply mean nothing on that link has the address: the kernel holds the packets
/// for it and drops them, so they never show in the capture at all.
/// </summary>
public sealed record ArpResolution(int InterfaceId, NetAddress Target, NetAddress Requester, long Requests, long Replies,
    long FirstRequestNs, long FirstRequestFrame, long LastRequestNs, string File)
{
    /// <summary>When the first reply was seen, or null without one.</summary>
    public long? FirstReplyNs { get; init; }
}
