namespace KubeTriage.Capture.Flows;

/// <summary>
/// Flows ordered by last activity, oldest first, all sharing one idle timeout (capture time).
/// Touching a flow moves it to the tail; expiry takes from the head while it is old enough.
/// </summary>
internal sealed class IdleList(long timeoutNs)
{
    private FlowState? _head;
    private FlowState? _tail;

    public long TimeoutNs { get; } = timeoutNs;

    public int Count { get; private set; }

    public void Touch(FlowState flow)
    {
        if (flow.List == this && _tail == flow)
        {
            return;
        }

        flow.List?.Remove(flow);
        flow.Previous = _tail;
        flow.Next = null;
        if (_tail is null)
        {
            _head = flow;
        }
        else
        {
            _tail.Next = flow;
        }

        _tail = flow;
        flow.List = this;
        Count++;
    }

    public void Remove(FlowState flow)
    {
        if (flow.List != this)
        {
            return;
        }

        if (flow.Previous is null)
        {
            _head = flow.Next;
        }
        else
        {
            flow.Previous.Next = flow.Next;
        }

        if (flow.Next is null)
        {
            _tail = flow.Previous;
        }
        else
        {
            flow.Next.Previous = flow.Previous;
        }

        flow.Previous = null;
        flow.Next = null;
        flow.List = null;
        Count--;
    }

    /// <summary>The oldest flow if it has been idle longer than the timeout at <paramref name="nowNs"/>.</summary>
    public FlowState? TakeExpired(long nowNs)
    {
        var head = _head;
        if (head is null || nowNs - head.LastTimeNs <= TimeoutNs)
        {
            return null;
        }

        Remove(head);
        return head;
    }
}
