namespace KubeTriage.Wire.Building;

/// <summary>How many ICMP errors of one <see cref="IcmpErrorKey"/>, and the first one, updated in place.</summary>
internal struct IcmpErrorCounter
{
    public long Count;
    public long FirstTimeNs;
    public long FirstFrame;
    /// <summary>The smallest MTU a "fragmentation needed" / "packet too big" named (0 when none did).</summary>
    public uint SmallestMtu;
}
