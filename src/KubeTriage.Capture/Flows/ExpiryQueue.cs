namespace KubeTriage.Capture.Flows;

/// <summary>
/// Flows in the order they were last known active, for one idle timeout. Nothing happens per packet:
/// a sweep looks only at the head, where the flows that may have expired are. A flow that was active
/// since it was queued goes back to the tail with its new time, so each flow is looked at about once
/// per timeout instead of once per sweep. Entries of a flow that was reused (pooled) or moved to another
/// queue (a TCP connection that closed) are recognised by generation and state, and dropped.
/// </summary>
internal sealed class ExpiryQueue<T>(long timeoutNs, bool forClosed)
    where T : FlowState
{
    private readonly Queue<Entry> _queue = new();

    public void Add(T flow) => _queue.Enqueue(new Entry(flow, flow.Generation, flow.LastTimeNs));

    /// <summary>Moves every flow idle longer than the timeout at <paramref name="nowNs"/> into <paramref name="expired"/>.</summary>
    public void Collect(long nowNs, List<T> expired)
    {
        while (_queue.TryPeek(out var head) && nowNs - head.LastTimeNs > timeoutNs)
        {
            _ = _queue.Dequeue();
            var flow = head.Flow;
            if (flow.Generation != head.Generation || flow.Closed != forClosed)
            {
                continue;
            }

            if (nowNs - flow.LastTimeNs > timeoutNs)
            {
                expired.Add(flow);
            }
            else
            {
                _queue.Enqueue(head with { LastTimeNs = flow.LastTimeNs });
            }
        }
    }

    private readonly record struct Entry(T Flow, int Generation, long LastTimeNs);
}
