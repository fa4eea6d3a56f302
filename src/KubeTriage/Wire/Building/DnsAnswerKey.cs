using KubeTriage.Capture.Primitives;

namespace KubeTriage.Wire.Building;

/// <summary>A name, the resolver that answered, the query type and the answer's addresses (sorted, joined).</summary>
internal readonly record struct DnsAnswerKey(string Name, NetAddress Server, ushort Type, string Addresses);
