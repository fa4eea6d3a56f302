using KubeTriage.Capture.Primitives;

namespace KubeTriage.Wire.Building;

/// <summary>Client, server, name, type and ending (rcode, or -1 for no answer) of a DNS query.</summary>
internal readonly record struct DnsGroupKey(NetAddress Client, NetAddress Server, string Name, ushort Type, int Rcode);
