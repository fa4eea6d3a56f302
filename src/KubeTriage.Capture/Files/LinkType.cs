namespace KubeTriage.Capture.Files;

/// <summary>
/// LINKTYPE_ values from https://www.tcpdump.org/linktypes.html that the engine decodes.
/// </summary>
public enum LinkType : ushort
{
    Null = 0,          // BSD loopback: 4-byte host-order address family
    Ethernet = 1,
    Raw = 101,         // raw IPv4 or IPv6, version from the first nibble
    Loop = 108,        // OpenBSD loopback: 4-byte network-order address family
    LinuxSll = 113,    // Linux cooked v1 (tcpdump -i any, older)
    Ipv4 = 228,
    Ipv6 = 229,
    LinuxSll2 = 276,   // Linux cooked v2 (tcpdump -i any): carries the interface index
}
