namespace KubeTriage.Capture.Primitives;

/// <summary>An address and a transport port; the port is 0 for protocols without ports.</summary>
public readonly record struct WireEndpoint(NetAddress Address, ushort Port)
{
    public override string ToString() =>
        Address.IsV4 ? $"{Address}:{Port}" : $"[{Address}]:{Port}";
}
