using KubeTriage.Capture.Packets;
using KubeTriage.Capture.Primitives;

namespace KubeTriage.Wire.Building;

/// <summary>
/// Who sent an ICMP error, about which packet (source address, destination endpoint, protocol), which
/// error, and the interface it was seen on (one error seen on the veth and on the NIC is one error).
/// </summary>
internal readonly record struct IcmpErrorKey(
    int Interface,
    NetAddress Reporter,
    NetAddress OriginalSource,
    WireEndpoint OriginalDestination,
    IpProtocol OriginalProtocol,
    byte Type,
    byte Code,
    bool IsV6);
