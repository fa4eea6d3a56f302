namespace KubeTriage.Capture.Flows;

/// <summary>
/// Base of every tracked flow: its key, first and last activity, and whether it is closed (a closed
/// flow expires sooner). Expiry runs on capture time through <see cref="ExpiryQueue{T}"/>, which costs nothing per packet.
/// </summary>
internal abstract class FlowState
{
    public FlowKey Key;
    public long FirstTimeNs;
    public long LastTimeNs;
    public long FirstFrame;
    public bool Closed;

    /// <summary>Bumped each time the pooled instance is reused, so stale expiry entries can be told apart.</summary>
    public int Generation;

    /// <summary>Where the flow table keeps this flow.</summary>
    public int Slot;
}
