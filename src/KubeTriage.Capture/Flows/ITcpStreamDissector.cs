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

    /// <summary>Bytes are missing in one direction (lost, or beyond the capture's snap length).</summary>
    void OnGap(bool fromClient, long timeNs);

    /// <summary>The connection closed or the capture ended: report what is still unanswered.</summary>
    void OnEnd(long timeNs);
}
