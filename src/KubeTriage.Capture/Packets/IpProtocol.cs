namespace KubeTriage.Capture.Packets;

/// <summary>IANA protocol numbers the engine decodes.</summary>
public enum IpProtocol : byte
{
    Icmp = 1,
    IpInIp = 4,
    Tcp = 6,
    Udp = 17,
    Ipv6InIp = 41,
    Gre = 47,
    Icmpv6 = 58,
}
