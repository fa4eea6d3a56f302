namespace KubeTriage.Capture.Packets;

/// <summary>EtherType values the link decoders recognise (IEEE 802 numbers).</summary>
internal static class EtherType
{
    public const ushort Ipv4 = 0x0800;
    public const ushort Ipv6 = 0x86DD;
    public const ushort Arp = 0x0806;
    public const ushort Vlan = 0x8100;        // 802.1Q customer tag
    public const ushort ProviderVlan = 0x88A8; // 802.1ad service tag (QinQ outer)
    public const ushort LegacyQinQ = 0x9100;   // pre-standard QinQ outer tag
    public const ushort TransparentEthernet = 0x6558; // an Ethernet frame inside GRE or Geneve
    public const ushort MaxLength = 1500;      // values up to here are 802.3 lengths, not types
}
