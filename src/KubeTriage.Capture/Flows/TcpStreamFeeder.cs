using System.Buffers;
using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Flows;

/// <summary>
/// Hands one connection's bytes, in order and once, to its application dissector. Asks the registry
/// on the first payload (and a few more times if nobody recognises it); trims overlaps; holds a few
/// segments that arrive ahead of a hole; keeps what the dissector has not consumed, up to a cap.
/// A hole that cannot be filled, a snap-length cut or an overflow becomes one <c>OnGap</c> with the count
/// of missing bytes. After a snap-length cut a dissector that asks for it (<see cref="ITcpStreamDissector.FollowsSnapCuts"/>)
/// is given every later segment's captured bytes and a gap for each uncaptured tail, without holding segments.
/// Any exception from the dissector is caught here and ends dissection of this connection only.
/// </summary>
internal sealed class TcpStreamFeeder
{
    private ITcpStreamDissector? _dissector;
    private TcpStreamContext? _streamContext;
    private int _asks;
    private bool _stopped;

    public string? Protocol { get; private set; }

    public int Gaps { get; private set; }

    public void OnPayload(FlowContext context, TcpConversation connection, ref TcpHalf half, bool fromClient, uint start, ReadOnlySpan<byte> payload, int wireLength, long timeNs, long frame)
    {
        if (_stopped || wireLength == 0)
        {
            return;
        }

        try
        {
            if (_dissector is null && (payload.IsEmpty || !TryCreate(context, connection, payload, fromClient)))
            {
                return;
            }

            Deliver(context, connection, ref half, fromClient, start, payload, wireLength, timeNs, frame);
        }
        catch (Exception e)
        {
            context.ReportException(e, frame, connection.FlowName, Protocol ?? "tcp");
            Stop(connection);
        }
    }

    public void End(FlowContext context, TcpConversation connection, long timeNs)
    {
        if (_dissector is null)
        {
            return;
        }

        try
        {
            FlushAhead(context, connection, ref connection.ClientHalf, true, timeNs, 0);
            FlushAhead(context, connection, ref connection.ServerHalf, false, timeNs, 0);
            _dissector?.OnEnd(timeNs);
        }
        catch (Exception e)
        {
            context.ReportException(e, 0, connection.FlowName, Protocol ?? "tcp");
        }

        Stop(connection);
    }

    public void Reset()
    {
        _dissector = null;
        _streamContext = null;
        _asks = 0;
        _stopped = false;
        Protocol = null;
        Gaps = 0;
    }

    private bool TryCreate(FlowContext context, TcpConversation connection, ReadOnlySpan<byte> payload, bool fromClient)
    {
        _streamContext ??= new TcpStreamContext(connection.Client, connection.Server, !connection.ClientHalf.SynSeen, connection.File, context.Sink);
        _dissector = context.Registry.CreateTcp(_streamContext, payload, fromClient);
        if (_dissector is null)
        {
            _stopped = ++_asks >= context.Options.MaxDissectorAttempts;
            return false;
        }

        Protocol = _dissector.Protocol;
        return true;
    }

    private void Deliver(FlowContext context, TcpConversation connection, ref TcpHalf half, bool fromClient, uint start, ReadOnlySpan<byte> payload, int wireLength, long timeNs, long frame)
    {
        if (half.Cut)
        {
            if (_dissector is { FollowsSnapCuts: true })
            {
                DeliverAfterCut(context, connection, ref half, fromClient, start, payload, wireLength, timeNs, frame);
            }

            return;
        }

        if (!half.Delivering)
        {
            // The stream starts after the SYN when this is the direction's first data; after a late
            // recognition (earlier data went unclaimed) it starts at this segment.
            half.Delivering = true;
            half.NextSequence = half.SynSeen && half.DataSegments == 1 ? half.InitialSequence + 1 : start;
        }

        if (payload.Length < wireLength)
        {
            // Snap length: every later large segment is cut too, so this counts as one gap for the direction, not one per segment.
            half.Cut = true;
            Gaps++;
            if (_dissector is { FollowsSnapCuts: true })
            {
                FlushAhead(context, connection, ref half, fromClient, timeNs, frame);
                DeliverAfterCut(context, connection, ref half, fromClient, start, payload, wireLength, timeNs, frame);
                return;
            }

            half.ClearPending();
            half.ClearAhead();
            _dissector?.OnGap(fromClient, timeNs, -1, true);
            return;
        }

        uint end = start + (uint)payload.Length;
        if (SequenceNumber.AtOrBefore(end, half.NextSequence))
        {
            return;
        }

        if (SequenceNumber.Before(start, half.NextSequence))
        {
            payload = payload[(int)(half.NextSequence - start)..];
            start = half.NextSequence;
        }

        if (start == half.NextSequence)
        {
            Feed(context, connection, ref half, fromClient, payload, timeNs, frame);
            half.NextSequence = end;
            DrainAhead(context, connection, ref half, fromClient, timeNs, frame);
            return;
        }

        var options = context.Options;
        while (!half.TryHoldAhead(start, payload, timeNs, frame, options.MaxOutOfOrderSegments, options.MaxOutOfOrderBytes))
        {
            if (half.AheadCount == 0)
            {
                // Nothing held and this alone is too big to hold: skip the hole and take it now.
                Gap(ref half, fromClient, timeNs, start - half.NextSequence);
                half.NextSequence = start;
                Feed(context, connection, ref half, fromClient, payload, timeNs, frame);
                half.NextSequence = end;
                return;
            }

            SkipToLowestAhead(context, connection, ref half, fromClient, timeNs, frame);
            if (_dissector is null || SequenceNumber.AtOrBefore(end, half.NextSequence))
            {
                return;
            }

            if (SequenceNumber.AtOrBefore(start, half.NextSequence))
            {
                Feed(context, connection, ref half, fromClient, payload[(int)(half.NextSequence - start)..], timeNs, frame);
                half.NextSequence = end;
                DrainAhead(context, connection, ref half, fromClient, timeNs, frame);
                return;
            }
        }
    }

    /// <summary>
    /// Delivers a segment of a direction the snap length has cut, in arrival order: a hole before it is a gap
    /// at once (nothing is held), then its captured bytes, then a gap for its uncaptured tail, sent at its time.
    /// </summary>
    private void DeliverAfterCut(FlowContext context, TcpConversation connection, ref TcpHalf half, bool fromClient, uint start, ReadOnlySpan<byte> payload, int wireLength, long timeNs, long frame)
    {
        uint wireEnd = start + (uint)wireLength;
        if (SequenceNumber.AtOrBefore(wireEnd, half.NextSequence))
        {
            return;
        }

        if (SequenceNumber.Before(half.NextSequence, start))
        {
            Gap(ref half, fromClient, timeNs, start - half.NextSequence);
            half.NextSequence = start;
        }

        int skip = (int)(half.NextSequence - start);
        if (skip < payload.Length)
        {
            Feed(context, connection, ref half, fromClient, payload[skip..], timeNs, frame);
        }

        uint capturedEnd = start + (uint)payload.Length;
        uint from = SequenceNumber.Before(capturedEnd, half.NextSequence) ? half.NextSequence : capturedEnd;
        half.NextSequence = wireEnd;
        if (SequenceNumber.Before(from, wireEnd))
        {
            half.ClearPending();
            _dissector?.OnGap(fromClient, timeNs, wireEnd - from, true);
        }
    }

    private void Feed(FlowContext context, TcpConversation connection, ref TcpHalf half, bool fromClient, ReadOnlySpan<byte> data, long timeNs, long frame)
    {
        if (_dissector is null)
        {
            return;
        }

        int cap = context.Options.MaxStreamBufferBytes;
        if (half.PendingLength == 0)
        {
            int used = Offer(data, fromClient, timeNs, frame);
            if (used < data.Length && !half.TryAppendPending(data[used..], cap))
            {
                Overflow(context, connection, ref half, fromClient, data[used..], 0, timeNs, frame);
            }

            return;
        }

        if (!half.TryAppendPending(data, cap))
        {
            Overflow(context, connection, ref half, fromClient, half.Pending, data.Length, timeNs, frame);
            return;
        }

        half.ConsumePending(Offer(half.Pending, fromClient, timeNs, frame));
    }

    /// <summary>Offers bytes until the dissector consumes nothing more; each pass consumes at least one byte.</summary>
    private int Offer(ReadOnlySpan<byte> data, bool fromClient, long timeNs, long frame)
    {
        int total = 0;
        while (total < data.Length && _dissector is not null)
        {
            int used = _dissector.OnData(data[total..], fromClient, timeNs, frame);
            if (used <= 0)
            {
                break;
            }

            total += Math.Min(used, data.Length - total);
        }

        return total;
    }

    private void Overflow(FlowContext context, TcpConversation connection, ref TcpHalf half, bool fromClient, ReadOnlySpan<byte> unconsumed, int alsoDropped, long timeNs, long frame)
    {
        context.Report(WireError.FlowBufferOverflow, frame, connection.FlowName, 0, unconsumed,
            $"{Protocol} dissector left more than {context.Options.MaxStreamBufferBytes} bytes unconsumed ({(fromClient ? "client" : "server")} side); they were dropped");
        long dropped = unconsumed.Length + alsoDropped;
        half.ClearPending();
        Gap(ref half, fromClient, timeNs, dropped);
    }

    /// <summary>
    /// Delivers the held segments that now follow on. After a hole was filled they come with the filling
    /// segment's time (the bytes were usable only then); after a hole was given up, with their own.
    /// </summary>
    private void DrainAhead(FlowContext context, TcpConversation connection, ref TcpHalf half, bool fromClient, long timeNs, long frame, bool ownTimes = false)
    {
        while (half.TryPeekLowestAhead(out uint lowest) && SequenceNumber.AtOrBefore(lowest, half.NextSequence))
        {
            _ = half.TryTakeLowestAhead(out uint sequence, out var buffer, out int length, out long heldNs, out long heldFrame);
            uint end = sequence + (uint)length;
            if (SequenceNumber.Before(half.NextSequence, end))
            {
                int skip = (int)(half.NextSequence - sequence);
                Feed(context, connection, ref half, fromClient, buffer.AsSpan(skip, length - skip), ownTimes ? heldNs : timeNs, ownTimes ? heldFrame : frame);
                half.NextSequence = end;
            }

            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Gives up on the hole before the lowest held segment: one gap, then delivery resumes there.</summary>
    private void SkipToLowestAhead(FlowContext context, TcpConversation connection, ref TcpHalf half, bool fromClient, long timeNs, long frame)
    {
        if (!half.TryPeekLowestAhead(out uint lowest))
        {
            return;
        }

        Gap(ref half, fromClient, timeNs, lowest - half.NextSequence);
        half.NextSequence = lowest;
        DrainAhead(context, connection, ref half, fromClient, timeNs, frame, ownTimes: true);
    }

    private void FlushAhead(FlowContext context, TcpConversation connection, ref TcpHalf half, bool fromClient, long timeNs, long frame)
    {
        while (half.AheadCount > 0 && _dissector is not null)
        {
            SkipToLowestAhead(context, connection, ref half, fromClient, timeNs, frame);
        }
    }

    /// <summary>A hole of <paramref name="missing"/> bytes, noticed at <paramref name="timeNs"/>.</summary>
    private void Gap(ref TcpHalf half, bool fromClient, long timeNs, long missing)
    {
        Gaps++;
        half.ClearPending();
        _dissector?.OnGap(fromClient, timeNs, missing, false);
    }

    private void Stop(TcpConversation connection)
    {
        _dissector = null;
        _stopped = true;
        connection.HalfA.ClearPending();
        connection.HalfA.ClearAhead();
        connection.HalfB.ClearPending();
        connection.HalfB.ClearAhead();
    }
}
