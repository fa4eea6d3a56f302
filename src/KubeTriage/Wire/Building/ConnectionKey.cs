using KubeTriage.Capture.Primitives;

namespace KubeTriage.Wire.Building;

/// <summary>One TCP connection by its two endpoints, client first; hashed by <see cref="FastKeyComparer"/>.</summary>
internal readonly record struct ConnectionKey(WireEndpoint Client, WireEndpoint Server);
