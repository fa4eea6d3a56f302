using KubeTriage.Capture.Primitives;

namespace KubeTriage.Wire.Building;

/// <summary>A client address and a server address: who asked and who answered.</summary>
internal readonly record struct AddressPair(NetAddress Client, NetAddress Server);
