namespace KubeTriage.Capture.Packets;

/// <summary>The encapsulation a packet was found in (the overlays Kubernetes network plugins use).</summary>
public enum TunnelKind : byte
{
    None,

    /// <summary>VXLAN (RFC 7348): UDP 4789, or 8472 (Linux's default, used by flannel and Cilium).</summary>
    Vxlan,

    /// <summary>Geneve (RFC 8926): UDP 6081 (Cilium, OVN-Kubernetes).</summary>
    Geneve,

    /// <summary>IPv4 or IPv6 directly in IPv4/IPv6 (protocol 4 or 41; Calico's IP-in-IP mode).</summary>
    IpInIp,

    /// <summary>GRE (RFC 2784/2890), carrying IP or Ethernet.</summary>
    Gre,
}
