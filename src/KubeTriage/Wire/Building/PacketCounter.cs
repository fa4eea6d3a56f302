namespace KubeTriage.Wire.Building;

/// <summary>Packets and bytes of one <see cref="PacketKey"/>, updated in place through a ref.</summary>
internal struct PacketCounter
{
    public const byte Tcp = 1;
    public const byte Udp = 2;
    public const byte Icmp = 4;

    public long Packets;
    public long Bytes;

    /// <summary>Which transports were seen: <see cref="Tcp"/>, <see cref="Udp"/>, <see cref="Icmp"/>.</summary>
    public byte Transports;
}
