namespace KubeTriage.Capture.Flows;

/// <summary>
/// Base of every tracked flow: its key, last activity time and its place in one idle list, so that
/// expiry finds the oldest flows in O(1) instead of scanning the table.
/// </summary>
internal abstract class FlowState
{
    public FlowKey Key;
    public long FirstTimeNs;
    public long LastTimeNs;
    public long FirstFrame;
    public FlowState? Previous;
    public FlowState? Next;
    public IdleList? List;
}
