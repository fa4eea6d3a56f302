namespace KubeTriage.Capture.Flows;

/// <summary>
/// Base of every tracked flow: its key, first and last activity, and whether it is closed (a closed
/// flow expires sooner). Expiry is a periodic sweep on capture time rather than a per-packet list update,
/// which keeps the per-packet path free of pointer chasing.
/// </summary>
internal abstract class FlowState
{
    public FlowKey Key;
    public long FirstTimeNs;
    public long LastTimeNs;
    public long FirstFrame;
    public bool Closed;
}
