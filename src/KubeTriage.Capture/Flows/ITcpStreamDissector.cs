namespace KubeTriage.Capture.Flows;

/// <summary>
/// Reads one TCP connection's reassembled, in-order bytes. The engine offers every byte not yet
/// consumed in a direction; the dissector returns how many it consumed (0 = need more). Bytes not
/// consumed are offered again, with the next segment appended, up to a bounded buffer.
/// A dissector never throws for bad bytes: it reports a <see cref="Primitives.WireDiagnostic"/> to the sink
/// and stops or resynchronises.
/// </summary>
public interface ITcpStreamDissector
{
    /// <summary>Application protocol name for reports: dns, mysql, http, tls.</summary>
    string Protocol { get; }

    int OnData(ReadOnlySpan<byte> data, bool fromClient, long timeNs, long frame);

    /// <summary>
    /// True when the dissector wants to go on reading a direction after the capture's snap length cut it:
    /// it is then given each later segment's captured bytes, each followed by a gap for its uncaptured tail.
    /// Otherwise a cut direction gets one gap and nothing more.
    /// </summary>
    bool FollowsSnapCuts => false;

    /// <summary>
    /// Bytes are missing in one direction (lost, or beyond the capture's snap length); what follows in
    /// that direction comes right after them.
    /// </summary>
    /// <param name="missingBytes">How many bytes are missing, or -1 when that is not known.</param>
    /// <param name="snapCut">
    /// True when the missing bytes are the uncaptured tail of a segment captured at <paramref name="timeNs"/>,
    /// so they were sent then; false for a hole noticed at <paramref name="timeNs"/> (its bytes were sent earlier).
    /// </param>
    void OnGap(bool fromClient, long timeNs, long missingBytes, bool snapCut);

    /// <summary>The connection closed or the capture ended: report what is still unanswered.</summary>
    void OnEnd(long timeNs);
}
