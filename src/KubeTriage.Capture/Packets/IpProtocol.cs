namespace KubeTriage.Capture.Packets;

/// <summary>IANA protocol numbers the engine decodes.</summary>
public enum IpProtocol : byte
{
    Icmp = 1,
    Tcp = 6,
    Udp = 17,
    Icmpv6 = 58,
}
