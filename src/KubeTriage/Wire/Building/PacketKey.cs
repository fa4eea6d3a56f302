using KubeTriage.Capture.Primitives;

namespace KubeTriage.Wire.Building;

/// <summary>Per-packet counters are keyed by interface and address pair: a struct, so counting never allocates.</summary>
internal readonly record struct PacketKey(int Interface, NetAddress Source, NetAddress Destination);
