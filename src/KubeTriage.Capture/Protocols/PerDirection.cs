using System.Runtime.CompilerServices;

namespace KubeTriage.Capture.Protocols;

/// <summary>
/// One value per direction of a connection, indexed 0 (client) and 1 (server). An inline array, so a
/// stream dissector keeps its per-direction state in its own object instead of in small arrays of its own.
/// </summary>
[InlineArray(2)]
internal struct PerDirection<T>
{
    private T _element;
}
