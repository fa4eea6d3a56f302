using KubeTriage.Capture.Packets;
using KubeTriage.Capture.Primitives;

namespace KubeTriage.Wire.Building;

/// <summary>Who sent an ICMP error, about which packet (source address, destination endpoint, protocol), and which error.</summary>
internal readonly record struct IcmpErrorKey(
    NetAddress Reporter,
    NetAddress OriginalSource,
    WireEndpoint OriginalDestination,
    IpProtocol OriginalProtocol,
    byte Type,
    byte Code,
    bool IsV6);
